#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The library's one per-thread state: the trampoline, callback tokens, the `Future.async` work
/// running on the thread, and the helpers that blocking waits consult.
///
/// Only its own thread touches it, so exclusivity needs no dynamic checks. Created lazily for each thread and released by the pthread key's destructor when the thread
/// exits.
@usableFromInline
final class ThreadContext {
    /// How many deliveries of callbacks are nested on this thread's stack right now; 0 outside.
    @usableFromInline @exclusivity(unchecked) var depth = 0
    /// Work deferred by deliveries nested too deep, by inline jobs and by callbacks registered on
    /// completed futures while callbacks run; drained when the outermost delivery returns.
    @exclusivity(unchecked) var queue = FIFOQueue<DeferredJob>()

    /// Whether deferred work is queued; checked once per outermost delivery.
    @usableFromInline
    var hasQueuedWork: Bool { !queue.isEmpty }
    /// The `Future.async` futures whose work is running on this thread, innermost last (see
    /// `RunningWork`).
    var runningWork: [ObjectIdentifier] = []
    /// The multi-callback deliveries running on this thread, innermost last, with the callbacks
    /// each has not started yet: a blocking wait inside one callback may run its later siblings.
    @usableFromInline @exclusivity(unchecked) var siblings: [SiblingRun] = []
    /// The work-in-flight scope of the test-executor job running on this thread, unretained (see
    /// `InFlightScope`).
    var inFlightScope: Unmanaged<InFlightScope>?
    /// Executors whose jobs this thread may run while it blocks on a future.
    var waitHelpers: [WeakWaitHelper] = []
    /// The callback tokens this thread may hand out: `nextToken..<tokenLimit`.
    @usableFromInline @exclusivity(unchecked) var nextToken: UInt32 = 0
    @usableFromInline @exclusivity(unchecked) var tokenLimit: UInt32 = 0

    /// How many lock stripes this thread holds; counted in debug builds only.
    @usableFromInline @exclusivity(unchecked) var stripesHeld = 0

    @usableFromInline init() {}

    /// Traps in debug builds if this thread holds a lock stripe (see `LockStripes.assertNoStripeHeld`).
    @inlinable
    func assertNoStripeHeld() {
        #if DEBUG
        precondition(
            stripesHeld == 0, "Internal inconsistency: user code or a release ran while a lock stripe was held.")
        #endif
    }

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
        queue.popFirst()?.run
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

/// The callbacks of one completion that have not started yet, run in order by whoever gets to
/// them first: the delivery's own loop, or a blocking wait nested in one of them.
@usableFromInline
final class SiblingRun {
    @usableFromInline let count: Int
    // Only this thread touches it, so exclusivity needs no dynamic checks.
    @usableFromInline @exclusivity(unchecked) var next = 0
    @usableFromInline let run: (Int) -> Void

    @inlinable
    init(count: Int, run: @escaping (Int) -> Void) {
        self.count = count
        self.run = run
    }

    /// Runs the next callback that has not started; `false` if none is left.
    @inlinable
    func runNext() -> Bool {
        let index = next
        guard index < count else { return false }
        next = index + 1
        run(index)
        return true
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
