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
            context.push { runAll(callbacks, outcome, from: source, in: ThreadContext.current) }
            return
        }
        context.depth += 1
        runAll(callbacks, outcome, from: source, in: context)
        context.depth -= 1
        if context.depth == 0, context.hasQueuedWork {
            context.drain()
        }
    }

    /// Runs the callbacks of one completion; two or more run through a ``SiblingRun``, so that a
    /// blocking wait inside one of them can run the later ones.
    @inlinable
    static func runAll<Value>(
        _ callbacks: CallbackList<Value>,
        _ outcome: Outcome<Value>,
        from source: Future<Value>,
        in context: ThreadContext
    ) {
        guard let slot = callbacks.slot else { return }
        guard slot.token == Callback<Value>.overflowToken else {
            slot.run(outcome, from: source)
            return
        }
        runSiblings(slot.target(as: OverflowCallbacks<Value>.self).entries, outcome, from: source, in: context)
    }

    @inlinable
    static func runSiblings<Value>(
        _ entries: [Callback<Value>],
        _ outcome: Outcome<Value>,
        from source: Future<Value>,
        in context: ThreadContext
    ) {
        let run = SiblingRun(count: entries.count) { index in
            entries.withUnsafeBufferPointer { $0[index].run(outcome, from: source) }
        }
        context.siblings.append(run)
        while run.runNext() {}
        context.siblings.removeLast()
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

    /// Runs work of this thread that waits behind the running callback until `isDone` holds or
    /// none is left: the later callbacks of the completions being delivered, innermost first, then
    /// the queued work.
    ///
    /// Called by blocking waits made from inside a callback, whose future may be completed by
    /// work queued behind the callback on this very thread.
    static func runQueuedWork(until isDone: () -> Bool) {
        let context = ThreadContext.current
        guard context.depth > 0 else { return }
        while !isDone() {
            if let run = context.siblings.last(where: { $0.next < $0.count }) {
                _ = run.runNext()
            } else if let next = context.pop() {
                next()
            } else {
                return
            }
        }
    }
}
