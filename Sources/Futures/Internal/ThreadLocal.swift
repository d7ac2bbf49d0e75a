#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Per-thread state of the library: the trampoline and the helper that blocking waits consult.
///
/// Created lazily for each thread and released by the pthread key's destructor when the thread
/// exits.
final class ThreadContext {
    /// Whether this thread is inside a drain loop: completions found here are queued, not run.
    var isDraining = false
    /// Work queued by completions and inline jobs while draining.
    var queue: [DrainItem?] = []
    var head = 0
    /// Executors whose jobs this thread may run while it blocks on a future.
    var waitHelpers: [WeakWaitHelper] = []

    // The key is created once and lives for the process; the destructor balances the retain
    // taken in `current`.
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        let rc = pthread_key_create(&key) { pointer in
            #if canImport(Darwin)
            Unmanaged<ThreadContext>.fromOpaque(pointer).release()
            #else
            if let pointer {
                Unmanaged<ThreadContext>.fromOpaque(pointer).release()
            }
            #endif
        }
        precondition(rc == 0, "pthread_key_create failed with \(rc).")
        return key
    }()

    @inline(__always)
    static var current: ThreadContext {
        if let pointer = pthread_getspecific(key) {
            return Unmanaged<ThreadContext>.fromOpaque(pointer).takeUnretainedValue()
        }
        let context = ThreadContext()
        pthread_setspecific(key, Unmanaged.passRetained(context).toOpaque())
        return context
    }

    @inline(__always)
    func push(_ item: DrainItem) {
        queue.append(item)
    }

    @inline(__always)
    func pop() -> DrainItem? {
        guard head < queue.count else { return nil }
        let item = queue[head].take()
        head += 1
        if head == queue.count {
            queue.removeAll(keepingCapacity: queue.count <= 1024)
            head = 0
        }
        return item
    }

    var hasQueuedWork: Bool { head < queue.count }
}

/// An item of the trampoline: a future whose callbacks are due, or an inline job.
enum DrainItem {
    case deliver(any Deliverable)
    case job(@Sendable () -> Void)

    @inline(__always)
    func run() {
        switch self {
        case .deliver(let future): future.deliverCallbacks()
        case .job(let job): job()
        }
    }
}

/// A completed future whose callbacks the trampoline must run.
protocol Deliverable: AnyObject {
    func deliverCallbacks()
}

// MARK: - Trampoline

enum Trampoline {
    /// Runs `item` now and then everything it queues, or queues it if this thread is draining.
    ///
    /// Completion therefore never recurses once per link.
    @inline(__always)
    static func submit(_ item: DrainItem) {
        let context = ThreadContext.current
        if context.isDraining {
            context.push(item)
            return
        }
        context.isDraining = true
        item.run()
        while let next = context.pop() {
            next.run()
        }
        context.isDraining = false
    }

    /// Runs `now()` and then everything it queues, or queues `later()` if this thread is draining.
    ///
    /// Avoids allocating a job when the thread is idle.
    @inline(__always)
    static func runOrQueue(_ now: () -> Void, orQueue later: () -> DrainItem) {
        let context = ThreadContext.current
        if context.isDraining {
            context.push(later())
            return
        }
        context.isDraining = true
        now()
        while let next = context.pop() {
            next.run()
        }
        context.isDraining = false
    }

    /// Runs queued work of the current drain until `isDone` holds or nothing is queued.
    ///
    /// Called by blocking waits made from inside a callback, whose future may be completed by
    /// work queued behind the callback on this very thread.
    static func runQueuedWork(until isDone: () -> Bool) {
        let context = ThreadContext.current
        guard context.isDraining else { return }
        while !isDone(), let next = context.pop() {
            next.run()
        }
    }
}

// MARK: - Blocking-wait helpers

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
/// A thread registers a helper with ``BlockingWaitHelpers/withHelper(_:_:)`` (a worker of a pool,
/// the thread driving a test executor). A blocking `get` or `wait` on a pending future then asks
/// the helper to wait instead of sleeping on a semaphore.
package protocol BlockingWaitHelper: AnyObject, Sendable {
    /// Waits until `isDone()` is true, running the helper's jobs on this thread meanwhile.
    ///
    /// `registerWakeUp` installs a callback that fires once the awaited future completes.
    func blockingWait(
        isDone: () -> Bool,
        registerWakeUp: (@escaping @Sendable () -> Void) -> Void,
        deadline: ContinuousClock.Instant?
    ) -> BlockingWaitOutcome
}

/// Registration of blocking-wait helpers for the current thread.
package enum BlockingWaitHelpers {
    /// Registers `helper` for the current thread until `body` returns.
    package static func withHelper<T>(_ helper: any BlockingWaitHelper, _ body: () throws -> T) rethrows -> T {
        let context = ThreadContext.current
        context.waitHelpers.append(WeakWaitHelper(helper: helper))
        defer { context.waitHelpers.removeLast() }
        return try body()
    }

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

    static var current: [any BlockingWaitHelper] { ThreadContext.current.waitHelpers.compactMap(\.helper) }
}

/// A helper registered for a thread, held weakly so that registration never extends its life.
struct WeakWaitHelper {
    weak var helper: (any BlockingWaitHelper)?
}
