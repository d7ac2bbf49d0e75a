import Foundation
import Futures

/// Claims a case makes about what it observed; the failed ones are kept.
struct Claims: Sendable {
    private(set) var failed: [String] = []

    mutating func expect(_ condition: Bool, _ claim: String) {
        if !condition { failed.append(claim) }
    }
}

/// Runs `body` on a thread of its own and returns its result, or `nil` if it has not returned
/// within `limit`: the caller reports a hang instead of hanging itself.
///
/// The thread is new, so a blocking wait in `body` meets no test executor that another test
/// created on the caller's thread.
func withoutHanging<R: Sendable>(limit: Duration = .seconds(60), _ body: @escaping @Sendable () -> R) -> R? {
    let box = HandOver<R>()
    let finished = DispatchSemaphore(value: 0)
    let thread = Thread {
        box.put(body())
        finished.signal()
    }
    thread.stackSize = 1 << 20
    thread.start()
    let (seconds, attoseconds) = limit.components
    let deadline = DispatchTime.now() + .nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
    guard finished.wait(timeout: deadline) == .success else { return nil }
    return box.take()
}

/// A value handed from one thread to another.
private final class HandOver<R: Sendable>: Sendable {
    private let value = Locked<R?>(nil)

    func put(_ value: R) {
        self.value.withLock { $0 = value }
    }

    func take() -> R? {
        value.withLock { $0 }
    }
}

/// Whether `body` returned within `limit`; for calls that must answer at once.
func answersAtOnce(within limit: Duration = .seconds(5), _ body: () throws -> Void) rethrows -> Bool {
    let start = ContinuousClock.now
    try body()
    return ContinuousClock.now - start < limit
}
