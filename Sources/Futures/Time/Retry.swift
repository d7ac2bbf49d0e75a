// MARK: - Retrying

/// Calls `operation` until the future it returns succeeds, at most `attempts` times, waiting
/// according to `backoff` between failures.
///
/// Every attempt runs on `executor`: the first as soon as possible, each later one when the wait
/// after the previous failure has passed on the executor's clock (virtual time on a
/// `TestExecutor`). An attempt starts only after the previous one has failed, so attempts never
/// overlap. After the k-th failure the wait is `backoff.delay(afterFailure: k)`.
///
/// ```swift
/// let page = retry(
///     attempts: 4,
///     backoff: .exponential(initial: .milliseconds(100), maximum: .seconds(2)),
///     on: DispatchQueue.global(),
///     shouldRetry: { !($0 is AuthenticationError) }
/// ) {
///     fetchPage()
/// }
/// ```
///
/// **Success.** The first attempt that succeeds completes the result with its value.
///
/// **Failure.** When the last attempt fails, or `shouldRetry` returns `false` for a failure, the
/// result fails with that attempt's error, unchanged. Its traceback is the failed attempt's own
/// traceback followed by a `retry` frame, marked as passed through, whose `inputIndex` is the
/// zero-based index of the attempt that failed last and whose `inputCount` is `attempts`. The
/// printed traceback counts from 1: `retry: attempt 3 of 3 (passed through)` means that the third
/// of three allowed attempts failed. The errors of earlier attempts are not kept.
///
/// `shouldRetry` runs on the thread that completed the failed attempt, and only when an attempt
/// is left: it is never consulted about the last one. Fewer than one attempt fails the result at
/// once with ``FutureError/Code/invalidArgument``, raised at a `retry` frame, without calling
/// `operation`. If `executor` has shut down (a shut-down ``ThreadPoolExecutor``) and refuses the
/// first attempt, or the wait before a later one, the result fails at once with
/// ``FutureError/Code/executorShutdown``, raised at the `retry` frame; the message names the
/// attempt that could not start and the error of the one before it.
///
/// **Cancellation.** Cancelling the result stops the retries: a pending wait is cancelled, no
/// further attempt starts, and the attempt in flight, if any, is cancelled too (its future was
/// made for this retry; cancelling it lets `Future.async` work notice) and loses the callback the
/// retry registered on it, so nothing of the retry stays registered anywhere. Timing out the result with
/// ``Future/timeout(after:on:fileID:line:function:)`` therefore stops the retries as well.
///
/// Each attempt is a separate job on `executor`, so any number of attempts that fail at once runs
/// in a loop, not by recursion.
///
/// - Parameters:
///   - attempts: How many times to call `operation` at most, the first call included; 1 or more.
///   - backoff: How long to wait after each failure; no wait by default.
///   - executor: Runs the attempts and measures the waits.
///   - shouldRetry: Decides whether a failure is worth another attempt; every failure is, by
///     default.
///   - fileID: The file of the call site; defaults to the caller's.
///   - line: The line of the call site; defaults to the caller's.
///   - function: The function of the call site; defaults to the caller's.
///   - operation: Starts one attempt and returns its future.
/// - Returns: A future of the first successful attempt's value, or of the last failure.
public func retry<T: Sendable>(
    attempts: Int,
    backoff: Backoff = .constant(.zero),
    on executor: some SchedulingExecutor,
    shouldRetry: @escaping @Sendable (any Error) -> Bool = { _ in true },
    fileID: StaticString = #fileID,
    line: UInt = #line,
    function: StaticString = #function,
    _ operation: @escaping @Sendable () -> Future<T>
) -> Future<T> {
    let result = Future<T>(site: CallSite(.retry, fileID, line, function))
    guard attempts >= 1 else {
        result.fail(
            raising: FutureError(code: .invalidArgument, message: "retry needs at least one attempt, got \(attempts)")
        )
        return result
    }
    let retrier = Retrier(
        result: result,
        attempts: attempts,
        backoff: backoff,
        executor: executor,
        shouldRetry: shouldRetry,
        operation: operation
    )
    result.register(ClosureCallback { [weak retrier] _ in retrier?.resultCompleted() })
    let slot = AttemptSlot(retrier, attempt: 1)
    if !executor.tryExecute({ slot.take()?.startAttempt() }) {
        slot.clear()
        result.fail(
            raising: FutureError(code: .executorShutdown, message: "the executor of this retry has shut down")
        )
    }
    return result
}

/// What a job of a retry holds instead of the retry itself.
///
/// The job takes the retry when it runs; the retry empties the slot when it no longer needs the
/// job (its result completed). If the executor releases the job while the slot still holds the
/// retry, the job was dropped without running: the retry's result fails with
/// ``FutureError/Code/abandoned`` instead of staying pending.
private final class AttemptSlot<T: Sendable, E: SchedulingExecutor>: Sendable {
    private let retrier: Locked<Retrier<T, E>?>
    private let attempt: Int

    init(_ retrier: Retrier<T, E>, attempt: Int) {
        self.retrier = Locked(retrier)
        self.attempt = attempt
    }

    /// The retry, once: for the job that runs, or for the caller that empties the slot.
    func take() -> Retrier<T, E>? {
        retrier.withLock { retrier in
            defer { retrier = nil }
            return retrier
        }
    }

    /// Empties the slot; the retry is released after the lock.
    func clear() {
        _ = take()
    }

    deinit {
        take()?.jobDropped(attempt: attempt)
    }
}

// MARK: - Machinery

/// The state of one `retry` call: which attempt runs, and what to cancel when the result is done.
///
/// User code (`operation`, `shouldRetry`) runs outside the lock; so do cancellations and the
/// releases of what the locked sections take out.
private final class Retrier<T: Sendable, E: SchedulingExecutor>: Sendable {
    private struct State {
        var attemptsStarted = 0
        /// The attempt in flight, so that cancelling the result can cancel it.
        var current: Future<T>?
        /// The callback on the attempt in flight, removed when the result completes first.
        var currentRegistration: Registration?
        /// The wait before the next attempt, so that cancelling the result can cancel it.
        var timer: ScheduledJob?
        /// What the waiting job holds instead of the retrier, emptied when the result completes.
        ///
        /// So a cancelled wait that its executor keeps until the deadline keeps nothing alive. Held
        /// weakly: only the job keeps it, so an executor that drops the job frees it.
        weak var timerSlot: AttemptSlot<T, E>?
        var isFinished = false
    }

    private let result: Future<T>
    private let attempts: Int
    private let backoff: Backoff
    /// Held weakly when it is a test executor, which holds the jobs that refer back to this retry.
    private let executor: ExecutorReference
    private let shouldRetry: @Sendable (any Error) -> Bool
    private let operation: @Sendable () -> Future<T>
    private let state = Locked(State())

    init(
        result: Future<T>,
        attempts: Int,
        backoff: Backoff,
        executor: E,
        shouldRetry: @escaping @Sendable (any Error) -> Bool,
        operation: @escaping @Sendable () -> Future<T>
    ) {
        self.result = result
        self.attempts = attempts
        self.backoff = backoff
        self.executor = ExecutorReference(executor)
        self.shouldRetry = shouldRetry
        self.operation = operation
    }

    /// Runs on the executor: calls `operation` and watches the future it returns.
    func startAttempt() {
        // The wait that led here is over: its handle and slot are dropped after unlocking.
        let (number, wait, slot): (Int?, ScheduledJob?, AttemptSlot<T, E>?) = state.withLock { state in
            defer {
                state.timer = nil
                state.timerSlot = nil
            }
            guard !state.isFinished else { return (nil, state.timer, state.timerSlot) }
            state.attemptsStarted += 1
            return (state.attemptsStarted, state.timer, state.timerSlot)
        }
        _ = (wait, slot)
        guard let number else { return }
        let attempt = operation()
        let cancelNow: Bool = state.withLock { state in
            if state.isFinished { return true }
            state.current = attempt
            return false
        }
        if cancelNow {
            attempt.cancel()
            return
        }
        let registration = attempt.register(
            owned: ClosureCallback { outcome in self.attemptCompleted(number, outcome) })
        let removeNow: Bool = state.withLock { state in
            if state.isFinished { return true }
            // Unless the attempt already completed (and a later one may be in flight).
            if state.current === attempt { state.currentRegistration = registration }
            return false
        }
        if removeNow { registration.cancel() }
    }

    private func attemptCompleted(_ number: Int, _ outcome: Outcome<T>) {
        let (finished, attempt, registration) = state.withLock { state in
            defer {
                state.current = nil
                state.currentRegistration = nil
            }
            return (state.isFinished, state.current, state.currentRegistration)
        }
        _ = (attempt, registration)
        guard !finished else { return }
        switch outcome {
        case .success:
            result.complete(outcome)
        case .failure(let failure):
            guard number < attempts, shouldRetry(failure.error) else {
                result.complete(
                    .passedThrough(failure, at: result.site, inputIndex: number - 1, inputCount: attempts)
                )
                return
            }
            guard let executor = executor.executor as? E else {
                result.fail(
                    raising: FutureError(
                        code: .abandoned,
                        message: "\(executor.describeRelease()), so attempt \(number + 1) of \(attempts) never ran"
                    )
                )
                return
            }
            let slot = AttemptSlot(self, attempt: number + 1)
            let wait = max(backoff.delay(afterFailure: number), .zero)
            let job = executor.tryExecute(after: wait) { slot.take()?.startAttempt() }
            guard let job else {
                slot.clear()
                result.fail(
                    raising: FutureError(
                        code: .executorShutdown,
                        message: "the executor of this retry has shut down, so attempt \(number + 1) of \(attempts) "
                            + "could not be scheduled after attempt \(number) failed with: \(failure.error)"
                    )
                )
                return
            }
            let cancelNow: Bool = state.withLock { state in
                if state.isFinished { return true }
                state.timer = job
                state.timerSlot = slot
                return false
            }
            if cancelNow {
                slot.clear()
                job.cancel()
            }
        }
    }

    /// The executor released the job of `attempt` without running it: fail the result rather than
    /// leave it pending.
    func jobDropped(attempt: Int) {
        let reason =
            executor.isHeldWeakly
            ? "\(executor.describeRelease()), so attempt \(attempt) of \(attempts) never ran"
            : "the executor of this retry (\(executor.typeName)) released the job of attempt \(attempt) of "
                + "\(attempts) without running it"
        result.fail(raising: FutureError(code: .abandoned, message: reason))
    }

    /// The result completed, by an attempt or by being cancelled: stop everything still going and
    /// remove what this retry registered.
    func resultCompleted() {
        let taken = state.withLock { state in
            defer { state = State(isFinished: true) }
            return state
        }
        taken.timerSlot?.clear()
        taken.timer?.cancel()
        taken.currentRegistration?.cancel()
        taken.current?.cancel()
    }
}
