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
        context.assertNoStripeHeld()
        if context.depth >= maxDepth {
            context.push { callbacks.runAll(outcome, from: source) }
            return
        }
        context.depth += 1
        callbacks.runAll(outcome, from: source)
        context.depth -= 1
        if context.depth == 0, context.hasQueuedWork {
            context.drain()
        }
    }

    /// Runs `job` now and then everything it queues, or queues it if callbacks run here already.
    ///
    /// This is the inline executor's rule.
    @inlinable
    static func submit(_ job: @escaping () -> Void) {
        let context = ThreadContext.current
        context.assertNoStripeHeld()
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
        context.assertNoStripeHeld()
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
