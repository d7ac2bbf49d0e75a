// MARK: - Timing out

extension Future {
    /// Returns a future with this future's outcome, or a ``FutureError/Code/timedOut`` failure if
    /// this future is not done `duration` from now on `executor`'s clock.
    ///
    /// Whichever happens first wins. If this future completes first, the result completes with
    /// the same outcome on the thread that completed it (a failure keeps its traceback and gains a
    /// `timeout` frame, passed through), and the timer is cancelled: nothing stays scheduled. If
    /// the timer fires first, on `executor`, the result fails with a `FutureError` of code
    /// `.timedOut` whose traceback is a single `timeout` frame, marked as raised.
    ///
    /// ```swift
    /// let reply = request.timeout(after: .seconds(2), on: DispatchQueue.global())
    /// do {
    ///     print(try reply.get())
    /// } catch let error as FutureError where error.code == .timedOut {
    ///     print("no reply in time")
    /// }
    /// ```
    ///
    /// A zero or negative `duration` times out at once, unless this future is already done.
    ///
    /// If `executor` refuses the timer because it has shut down (a shut-down
    /// ``ThreadPoolExecutor``), the result fails at once with
    /// ``FutureError/Code/executorShutdown`` and this future is left alone: not cancelled, and
    /// with nothing registered on it.
    ///
    /// **Cancellation.** When the timer fires it first cancels this future, as
    /// ``cancel(fileID:line:function:)`` does (the source's traceback then shows a `cancel` frame
    /// at the timeout's call site), so that the work behind it can stop: a pending future (a
    /// promise's, say) fails with `CancellationError` for every observer and its promise can no
    /// longer complete it; `Future.async` work that has not started never runs; running work sees
    /// ``isCancelRequested`` and its outcome stands; a `Future { ... }` task is cancelled. Then the
    /// result fails with `.timedOut` whatever the source did, so a timeout always ends in that
    /// clear error and never hangs. To time out one observer of a shared future without
    /// cancelling it for the others, time out a derived future, which is all that gets cancelled:
    /// `shared.map { $0 }.timeout(after: .seconds(1), on: queue)`.
    ///
    /// Cancelling the result cancels the timer and leaves this future alone, like cancelling any
    /// other derived future. Whichever way the result completes, the timer job is cancelled and
    /// the callback the timeout registered on this future is removed: nothing is left behind.
    ///
    /// - Parameters:
    ///   - duration: How long to wait for this future.
    ///   - executor: Whose clock measures `duration`, and where the timer fires.
    ///   - fileID: The file of the call site; defaults to the caller's.
    ///   - line: The line of the call site; defaults to the caller's.
    ///   - function: The function of the call site; defaults to the caller's.
    /// - Returns: A future of this future's outcome, or of a timeout.
    public func timeout(
        after duration: Duration,
        on executor: some SchedulingExecutor,
        fileID: StaticString = #fileID,
        line: UInt = #line,
        function: StaticString = #function
    ) -> Future<Value> {
        let next = Future(site: CallSite(.timeout, fileID, line, function))
        if let outcome = doneOutcome {
            next.complete(passingThrough: outcome)
            return next
        }
        let cancelSite = CallSite(.cancel, fileID, line, function)
        guard duration > .zero else {
            _ = requestCancel(at: cancelSite)
            next.fail(raising: FutureError.timedOut(after: duration))
            return next
        }
        let timer = TimerSlot(target: next)
        let job = executor.tryExecute(after: duration) { [weak self] in
            // Taking the target first means this future's cancellation cannot reach it; the
            // source is cancelled before anyone can see the timeout.
            guard let next = timer.takeTarget() else { return }
            _ = self?.requestCancel(at: cancelSite)
            next.fail(raising: FutureError.timedOut(after: duration))
        }
        guard let job else {
            next.fail(raising: shutDown("refused the timer of this timeout; the source was left alone"))
            return next
        }
        timer.own(job)
        timer.own(register(owned: ClosureCallback { outcome in timer.takeTarget()?.complete(passingThrough: outcome) }))
        return next
    }

}

/// The error of a timer-based operator whose executor refused its job.
private func shutDown(_ what: String) -> FutureError {
    FutureError(code: .executorShutdown, message: "the executor has shut down and \(what)")
}

// MARK: - Delaying

extension Future {
    /// Returns a future with this future's outcome, `duration` after this future completes.
    ///
    /// The outcome, success or failure, is held for `duration` on `executor`'s clock and then
    /// delivered from a job on `executor`; callbacks on the result with the default `.inline`
    /// executor therefore run there. A failure keeps its error and traceback and gains a `delay`
    /// frame, marked as passed through. A zero or negative `duration` delivers the outcome as soon
    /// as `executor` runs the job.
    ///
    /// ```swift
    /// let later = Future.succeeded("ready").delay(by: .seconds(1), on: executor)
    /// ```
    ///
    /// If `executor` refuses the job because it has shut down (a shut-down
    /// ``ThreadPoolExecutor``), the result fails with ``FutureError/Code/executorShutdown`` as soon
    /// as this future completes, without waiting.
    ///
    /// **Cancellation.** Cancelling the result completes it with `CancellationError` at once,
    /// cancels the pending job, if any, and removes the callback the delay registered on this
    /// future; this future is left alone, like the source of any derived future.
    ///
    /// - Parameters:
    ///   - duration: How long to hold the outcome.
    ///   - executor: Whose clock measures `duration`, and which delivers the outcome.
    ///   - fileID: The file of the call site; defaults to the caller's.
    ///   - line: The line of the call site; defaults to the caller's.
    ///   - function: The function of the call site; defaults to the caller's.
    /// - Returns: A future of this future's outcome, delivered later.
    public func delay(
        by duration: Duration,
        on executor: some SchedulingExecutor,
        fileID: StaticString = #fileID,
        line: UInt = #line,
        function: StaticString = #function
    ) -> Future<Value> {
        let next = Future(site: CallSite(.delay, fileID, line, function))
        let timer = TimerSlot(target: next)
        let registration = register(
            owned: ClosureCallback { outcome in
                guard timer.load(outcome) else { return }
                guard let job = executor.tryExecute(after: duration, { timer.fire() }) else {
                    timer.takeTarget()?.fail(raising: shutDown("refused to deliver the outcome of this delay"))
                    return
                }
                timer.own(job)
            }
        )
        timer.own(registration)
        return next
    }

    /// Returns a future that succeeds with `value` once `delay` has passed on `executor`'s clock.
    ///
    /// The future completes from a job on `executor`; a zero or negative `delay` completes it as
    /// soon as `executor` runs the job. Cancelling it completes it with `CancellationError` and
    /// cancels the job. If `executor` refuses the job because it has shut down (a shut-down
    /// ``ThreadPoolExecutor``), the future fails at once with ``FutureError/Code/executorShutdown``.
    ///
    /// ```swift
    /// let executor = TestExecutor()
    /// let answer = Future.succeeded(42, after: .seconds(3), on: executor)
    /// executor.advance(by: .seconds(3))
    /// print(try answer.get())  // 42
    /// ```
    ///
    /// - Parameters:
    ///   - value: The value.
    ///   - delay: How long to wait before succeeding.
    ///   - executor: Whose clock measures `delay`, and which completes the future.
    ///   - fileID: The file of the call site; defaults to the caller's.
    ///   - line: The line of the call site; defaults to the caller's.
    ///   - function: The function of the call site; defaults to the caller's.
    /// - Returns: A future that succeeds later.
    public static func succeeded(
        _ value: Value,
        after delay: Duration,
        on executor: some SchedulingExecutor,
        fileID: StaticString = #fileID,
        line: UInt = #line,
        function: StaticString = #function
    ) -> Future {
        let next = Future(site: CallSite(.succeeded, fileID, line, function))
        let timer = TimerSlot(target: next)
        _ = timer.load(.success(value))
        guard let job = executor.tryExecute(after: delay, { timer.fire() }) else {
            next.fail(raising: shutDown("refused the timer of this future"))
            return next
        }
        timer.own(job)
        return next
    }
}

extension Future where Value == Void {
    /// Returns a future that succeeds once `duration` has passed on `executor`'s clock.
    ///
    /// The same as ``Future/succeeded(_:after:on:fileID:line:function:)`` with `()`: on an
    /// executor that has shut down it fails at once with ``FutureError/Code/executorShutdown``.
    ///
    /// ```swift
    /// let pause = Future.sleep(for: .milliseconds(250), on: executor)
    /// let next = pause.flatMap { fetchNextPage() }
    /// ```
    ///
    /// - Parameters:
    ///   - duration: How long to wait.
    ///   - executor: Whose clock measures `duration`, and which completes the future.
    ///   - fileID: The file of the call site; defaults to the caller's.
    ///   - line: The line of the call site; defaults to the caller's.
    ///   - function: The function of the call site; defaults to the caller's.
    /// - Returns: A future that succeeds later.
    public static func sleep(
        for duration: Duration,
        on executor: some SchedulingExecutor,
        fileID: StaticString = #fileID,
        line: UInt = #line,
        function: StaticString = #function
    ) -> Future<Void> {
        succeeded((), after: duration, on: executor, fileID: fileID, line: line, function: function)
    }
}

// MARK: - Timer slot

/// A future that a scheduled job will complete, unless it completes first.
///
/// Whoever takes the target completes it. Completing the target by any means cancels the job and
/// the callback on the source, and releases everything, so a timer that loses the race leaves
/// only this empty slot behind and a source keeps nothing of an operator that stopped caring.
private final class TimerSlot<Value: Sendable>: Sendable {
    private struct State {
        var target: Future<Value>?
        var outcome: Outcome<Value>?
        var job: ScheduledJob?
        /// The callback on the source, removed once the target is complete.
        var source: Registration?
        var isFinished = false
    }

    private let state: Locked<State>

    init(target: Future<Value>) {
        state = Locked(State(target: target))
        target.register(ClosureCallback { [weak self] _ in self?.targetCompleted() })
    }

    /// Stores the outcome the job will deliver; `false` if the target is already complete.
    ///
    /// The source has completed: its registration has run, so it is dropped.
    func load(_ outcome: Outcome<Value>) -> Bool {
        let (loaded, source): (Bool, Registration?) = state.withLock { state in
            defer { state.source = nil }
            guard state.target != nil else { return (false, state.source) }
            state.outcome = outcome
            return (true, state.source)
        }
        _ = source
        return loaded
    }

    /// Keeps `job` to cancel it later, or cancels it now if the target is already complete.
    func own(_ job: ScheduledJob) {
        let cancelNow: Bool = state.withLock { state in
            if state.isFinished { return true }
            state.job = job
            return false
        }
        if cancelNow { job.cancel() }
    }

    /// Keeps the callback on the source to remove it later, or removes it now if the target is
    /// already complete.
    func own(_ registration: Registration) {
        let removeNow: Bool = state.withLock { state in
            if state.isFinished { return true }
            state.source = registration
            return false
        }
        if removeNow { registration.cancel() }
    }

    /// Takes the target, so that nobody else completes it; `nil` if someone else took it first.
    func takeTarget() -> Future<Value>? {
        state.withLock { state in
            defer { state.target = nil }
            return state.target
        }
    }

    /// The job's body: delivers the loaded outcome to the target, unless someone took it first.
    func fire() {
        let (target, outcome): (Future<Value>?, Outcome<Value>?) = state.withLock { state in
            defer {
                state.target = nil
                state.outcome = nil
            }
            return (state.target, state.outcome)
        }
        if let target, let outcome { target.complete(passingThrough: outcome) }
    }

    private func targetCompleted() {
        // Cancelled and released after unlocking: the last reference to a value may run a deinit.
        let taken = state.withLock { state in
            state.isFinished = true
            defer { state = State(isFinished: true) }
            return state
        }
        taken.job?.cancel()
        taken.source?.cancel()
    }
}
