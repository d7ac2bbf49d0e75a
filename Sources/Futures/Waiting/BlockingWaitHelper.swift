/// How a helper answered a blocked wait.
package enum BlockingWaitOutcome {
    /// The condition became true.
    case satisfied
    /// The deadline passed first.
    case timedOut
    /// Nothing the helper can run will ever satisfy the condition.
    case wouldDeadlock
    /// The helper has nothing to do with this wait; wait normally.
    case notHandled
}

/// An executor that can keep the current thread useful, or detect a deadlock, while it blocks.
///
/// A thread registers a helper with ``BlockingWaitHelpers/install(_:)`` for as long as it runs the
/// helper's jobs (a worker of a pool for its whole life, a thread driving a test executor for the
/// length of the call). A blocking `get` or `wait` on a pending future then asks the helper to wait
/// instead of sleeping on a semaphore.
package protocol BlockingWaitHelper: AnyObject, Sendable {
    /// Waits until `isDone()` is true, running the helper's jobs on this thread meanwhile.
    ///
    /// `registerWakeUp` installs a callback that fires once the awaited future completes.
    func blockingWait(
        isDone: () -> Bool,
        registerWakeUp: (@escaping @Sendable () -> Void) -> Void,
        deadline: ContinuousClock.Instant?
    ) -> BlockingWaitOutcome

    /// Why the last wait this helper answered with ``BlockingWaitOutcome/wouldDeadlock`` could
    /// never end, for the error's message; read on the same thread right after that answer.
    var deadlockExplanation: String? { get }
}

extension BlockingWaitHelper {
    /// No explanation: the error says only that waiting could never end.
    package var deadlockExplanation: String? { nil }
}

/// Registration of blocking-wait helpers for the current thread.
package enum BlockingWaitHelpers {
    /// Registers `helper` for the current thread, for the rest of the thread's life.
    package static func install(_ helper: any BlockingWaitHelper) {
        let context = ThreadContext.current
        context.waitHelpers.removeAll { $0.helper == nil }
        context.waitHelpers.append(WeakWaitHelper(helper: helper))
    }

    /// Removes `helper` from the current thread's helpers.
    package static func uninstall(_ helper: any BlockingWaitHelper) {
        let context = ThreadContext.current
        if let index = context.waitHelpers.lastIndex(where: { $0.helper === helper }) {
            context.waitHelpers.remove(at: index)
        }
    }

    /// Runs `body` with `helper` registered for the current thread, and unregisters it after.
    package static func with<R>(_ helper: any BlockingWaitHelper, _ body: () throws -> R) rethrows -> R {
        let context = ThreadContext.current
        context.waitHelpers.append(WeakWaitHelper(helper: helper))
        defer {
            if let index = context.waitHelpers.lastIndex(where: { $0.helper === helper }) {
                context.waitHelpers.remove(at: index)
            }
        }
        return try body()
    }

    static var current: [any BlockingWaitHelper] { ThreadContext.current.waitHelpers.compactMap(\.helper) }
}

/// A helper registered for a thread, held weakly so that registration never extends its life.
struct WeakWaitHelper {
    weak var helper: (any BlockingWaitHelper)?
}
