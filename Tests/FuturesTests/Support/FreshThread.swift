import Foundation

/// Runs `body` on a new thread and returns its result.
///
/// A blocking wait made there sees no test executor: a test executor created on a test's thread
/// (by this test or by another one that ran on the same thread) answers blocking waits made on
/// that thread, which is right for executor-driven tests and wrong for tests of real timeouts.
func onFreshThread<R: Sendable>(_ body: @escaping @Sendable () -> R) -> R {
    let box = ResultBox<R>()
    let finished = DispatchSemaphore(value: 0)
    let thread = Thread {
        box.set(body())
        finished.signal()
    }
    thread.start()
    finished.wait()
    return box.get()
}

/// A value handed from one thread to another.
private final class ResultBox<R: Sendable>: @unchecked Sendable {
    // `value` is accessed only under `lock`.
    private let lock = NSLock()
    private var value: R?

    func set(_ value: R) {
        lock.withLock { self.value = value }
    }

    func get() -> R {
        lock.withLock {
            guard let value else { preconditionFailure("The thread finished without a result.") }
            return value
        }
    }
}
