#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Per-thread state of the library: the trampoline and the helpers that blocking waits consult.
///
/// Only its own thread touches it, so exclusivity needs no dynamic checks. Created lazily for each thread and released by the pthread key's destructor when the thread
/// exits.
@usableFromInline
final class ThreadContext {
    /// How many deliveries of callbacks are nested on this thread's stack right now; 0 outside.
    @usableFromInline @exclusivity(unchecked) var depth = 0
    /// Work deferred by deliveries nested too deep, by inline jobs and by callbacks registered on
    /// completed futures while callbacks run; drained when the outermost delivery returns.
    @usableFromInline @exclusivity(unchecked) var queue: [DeferredJob?] = []
    @usableFromInline @exclusivity(unchecked) var head = 0
    /// Executors whose jobs this thread may run while it blocks on a future.
    var waitHelpers: [WeakWaitHelper] = []
    /// The callback tokens this thread may hand out: `nextToken..<tokenLimit`.
    @usableFromInline @exclusivity(unchecked) var nextToken: UInt32 = 0
    @usableFromInline @exclusivity(unchecked) var tokenLimit: UInt32 = 0

    @usableFromInline init() {}

    // The key is created once and lives for the process; the destructor balances the retain
    // taken in `current`.
    @usableFromInline static let key: pthread_key_t = {
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

    @inlinable
    static var current: ThreadContext {
        if let pointer = pthread_getspecific(key) {
            return Unmanaged<ThreadContext>.fromOpaque(pointer).takeUnretainedValue()
        }
        return makeCurrent()
    }

    @usableFromInline
    static func makeCurrent() -> ThreadContext {
        let context = ThreadContext()
        pthread_setspecific(key, Unmanaged.passRetained(context).toOpaque())
        return context
    }

    @usableFromInline
    func push(_ item: @escaping () -> Void) {
        queue.append(DeferredJob(run: item))
    }

    @usableFromInline
    func pop() -> (() -> Void)? {
        guard head < queue.count else { return nil }
        let item = queue[head].take()?.run
        head += 1
        if head == queue.count {
            queue.removeAll(keepingCapacity: queue.count <= 1024)
            head = 0
        }
        return item
    }

    /// Runs queued work until none is left; called when the outermost delivery returns.
    @usableFromInline
    func drain() {
        depth = 1
        while let item = pop() {
            item()
        }
        depth = 0
    }
}

/// A job in the trampoline's queue, wrapped in a struct so that the array stores the closure as
/// it is, without re-abstraction thunks.
@usableFromInline
struct DeferredJob {
    @usableFromInline let run: () -> Void

    @inlinable
    init(run: @escaping () -> Void) {
        self.run = run
    }
}

// MARK: - Callback tokens

/// Callback tokens unique in the process (until 2³² registrations wrap them), so that a token of
/// a released future never matches a callback of a new future that reuses its address.
///
/// Each thread takes a block of tokens from a global counter under a lock, then hands them out
/// without locking.
@usableFromInline
enum CallbackTokens {
    static let blockSize: UInt32 = 4096
    static let lock = Lock()
    // Guarded by `lock`.
    nonisolated(unsafe) static var nextBlock: UInt32 = 1

    /// A fresh token: never 0 (internal callbacks) nor `UInt32.max` (the overflow entry's marker).
    @inlinable
    static func next() -> UInt32 {
        let context = ThreadContext.current
        if context.nextToken == context.tokenLimit {
            refill(context)
        }
        let token = context.nextToken
        context.nextToken &+= 1
        return token
    }

    @usableFromInline
    static func refill(_ context: ThreadContext) {
        let start: UInt32 = lock.withLock {
            // Blocks start at multiples of the block size from 1, so none contains 0 or UInt32.max.
            if nextBlock > UInt32.max - blockSize { nextBlock = 1 }
            let start = nextBlock
            nextBlock += blockSize
            return start
        }
        context.nextToken = start
        context.tokenLimit = start + blockSize - 1
    }
}

// MARK: - Trampoline

/// Runs callbacks without unbounded recursion.
///
/// A completion runs its callbacks at once, nested in the caller, up to ``maxDepth`` deliveries
/// deep on one thread; beyond that it queues them, and the outermost delivery drains the queue in
/// a loop when it returns. So chains of any length and shape complete with a bounded stack, and
/// the common case (a completion that completes the next stage) costs no queueing at all.
@usableFromInline
enum Trampoline {
    /// How many deliveries may nest on one thread before further ones are queued.
    @usableFromInline static let maxDepth = 16

    /// Runs `callbacks` with `outcome` now, or queues them if deliveries nest too deep here.
    @inlinable
    static func deliver<Value>(_ callbacks: CallbackList<Value>, _ outcome: Outcome<Value>, from source: Future<Value>)
    {
        let context = ThreadContext.current
        if context.depth >= maxDepth {
            context.push { callbacks.runAll(outcome, from: source) }
            return
        }
        context.depth += 1
        callbacks.runAll(outcome, from: source)
        context.depth -= 1
        if context.depth == 0, context.head < context.queue.count {
            context.drain()
        }
    }

    /// Runs `job` now and then everything it queues, or queues it if callbacks run here already.
    ///
    /// This is the inline executor's rule.
    @inlinable
    static func submit(_ job: @escaping () -> Void) {
        let context = ThreadContext.current
        if context.depth > 0 {
            context.push(job)
            return
        }
        context.depth = 1
        job()
        context.drain()
    }

    /// Runs `now()` and then everything it queues, or queues `later()` if callbacks run here.
    ///
    /// Avoids allocating a job when the thread is idle.
    @inlinable
    static func runOrQueue(_ now: () -> Void, orQueue later: () -> (() -> Void)) {
        let context = ThreadContext.current
        if context.depth > 0 {
            context.push(later())
            return
        }
        context.depth = 1
        now()
        context.drain()
    }

    /// Runs queued work of this thread until `isDone` holds or nothing is queued.
    ///
    /// Called by blocking waits made from inside a callback, whose future may be completed by
    /// work queued behind the callback on this very thread.
    static func runQueuedWork(until isDone: () -> Bool) {
        let context = ThreadContext.current
        guard context.depth > 0 else { return }
        while !isDone(), let next = context.pop() {
            next()
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
/// A thread registers a helper with ``BlockingWaitHelpers/install(_:)`` (a worker of a pool, the
/// thread that creates a test executor). A blocking `get` or `wait` on a pending future then asks
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
