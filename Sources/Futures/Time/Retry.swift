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
/// `operation`. If `executor` refuses the first attempt because it has shut down, the result fails
/// with ``FutureError/Code/executorShutdown``.
///
/// **Cancellation.** Cancelling the result stops the retries: a pending wait is cancelled, no
/// further attempt starts, and the attempt in flight, if any, is cancelled too (its future was
/// made for this retry; cancelling it lets `Future.async` work notice). Timing out the result with
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
    if !executor.tryExecute({ retrier.startAttempt() }) {
        result.fail(
            raising: FutureError(code: .executorShutdown, message: "the executor of this retry has shut down")
        )
    }
    return result
}

// MARK: - Machinery

/// The state of one `retry` call: which attempt runs, and what to cancel when the result is done.
// `attemptsStarted`, `current`, `timer` and `isFinished` are read and written only under `lock`;
// every other property is immutable. User code (`operation`, `shouldRetry`) runs outside the lock.
private final class Retrier<T: Sendable, E: SchedulingExecutor>: @unchecked Sendable {
    private let result: Future<T>
    private let attempts: Int
    private let backoff: Backoff
    private let executor: E
    private let shouldRetry: @Sendable (any Error) -> Bool
    private let operation: @Sendable () -> Future<T>

    private let lock = Lock()
    private var attemptsStarted = 0
    /// The attempt in flight, so that cancelling the result can cancel it.
    private var current: Future<T>?
    /// The wait before the next attempt, so that cancelling the result can cancel it.
    private var timer: ScheduledJob?
    /// What the waiting job holds instead of the retrier: emptied when the result completes, so
    /// that a cancelled wait that its executor keeps until the deadline keeps nothing alive.
    private var timerSlot: RetrierSlot<Retrier>?
    private var isFinished = false

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
        self.executor = executor
        self.shouldRetry = shouldRetry
        self.operation = operation
    }

    /// Runs on the executor: calls `operation` and watches the future it returns.
    func startAttempt() {
        let number: Int? = lock.withLock {
            guard !isFinished else { return nil }
            timer = nil
            attemptsStarted += 1
            return attemptsStarted
        }
        guard let number else { return }
        let attempt = operation()
        let cancelNow: Bool = lock.withLock {
            if isFinished { return true }
            current = attempt
            return false
        }
        if cancelNow {
            attempt.cancel()
            return
        }
        attempt.register(ClosureCallback { outcome in self.attemptCompleted(number, outcome) })
    }

    private func attemptCompleted(_ number: Int, _ outcome: Outcome<T>) {
        let finished: Bool = lock.withLock {
            current = nil
            return isFinished
        }
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
            let slot = RetrierSlot(self)
            let job = executor.execute(after: max(backoff.delay(afterFailure: number), .zero)) {
                slot.take()?.startAttempt()
            }
            let cancelNow: Bool = lock.withLock {
                if isFinished { return true }
                timer = job
                timerSlot = slot
                return false
            }
            if cancelNow {
                _ = slot.take()
                job.cancel()
            }
        }
    }

    /// The result completed, by an attempt or by being cancelled: stop everything still going.
    func resultCompleted() {
        let (attempt, timer, slot): (Future<T>?, ScheduledJob?, RetrierSlot<Retrier>?) = lock.withLock {
            isFinished = true
            defer {
                current = nil
                self.timer = nil
                timerSlot = nil
            }
            return (current, self.timer, timerSlot)
        }
        _ = slot?.take()
        timer?.cancel()
        attempt?.cancel()
    }
}

/// A reference that can be taken once, from any thread.
// `object` is read and written only under `lock`.
private final class RetrierSlot<Object: AnyObject>: @unchecked Sendable {
    private let lock = Lock()
    private var object: Object?

    init(_ object: Object) {
        self.object = object
    }

    /// The object, the first time; `nil` afterwards.
    func take() -> Object? {
        lock.withLock {
            defer { object = nil }
            return object
        }
    }
}
