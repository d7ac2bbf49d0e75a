import Foundation
import Futures

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
private final class ResultBox<R: Sendable>: Sendable {
    private let value = Locked<R?>(nil)

    func set(_ value: R) {
        self.value.withLock { $0 = value }
    }

    func get() -> R {
        value.withLock {
            guard let value = $0 else { preconditionFailure("The thread finished without a result.") }
            return value
        }
    }
}
