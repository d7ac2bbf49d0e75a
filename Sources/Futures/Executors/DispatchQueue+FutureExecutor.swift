import Dispatch

extension DispatchQueue: SchedulingExecutor {
    /// Submits `job` asynchronously to the queue.
    ///
    /// ```swift
    /// let parsed = download.map(on: DispatchQueue.global()) { try parse($0) }
    /// ```
    ///
    /// - Parameter job: The work to run.
    public func execute(_ job: @escaping @Sendable () -> Void) {
        async(execute: job)
    }

    /// The continuous clock's current instant: a queue schedules on real time.
    ///
    /// ```swift
    /// let deadline = DispatchQueue.main.now + .seconds(2)
    /// ```
    public var now: ContinuousClock.Instant { .now }

    /// Submits `job` to the queue after `delay`; a zero or negative delay submits it at once.
    ///
    /// ```swift
    /// let hint = DispatchQueue.main.execute(after: .seconds(2)) { showSpinner() }
    /// loading.onComplete { _ in hint.cancel() }
    /// ```
    ///
    /// - Parameters:
    ///   - delay: How long to wait before submitting the job.
    ///   - job: The work to run.
    /// - Returns: A handle that cancels the job if it has not started.
    @discardableResult
    public func execute(after delay: Duration, _ job: @escaping @Sendable () -> Void) -> ScheduledJob {
        let cancelled = Locked(false)
        let guarded: @Sendable () -> Void = {
            if !cancelled.withLock({ $0 }) { job() }
        }
        if delay <= .zero {
            async(execute: guarded)
        } else {
            let (seconds, attoseconds) = delay.components
            let nanoseconds = seconds.multipliedReportingOverflow(by: 1_000_000_000)
            let total = nanoseconds.overflow ? Int64.max : nanoseconds.partialValue &+ attoseconds / 1_000_000_000
            asyncAfter(deadline: .now() + .nanoseconds(Int(clamping: total)), execute: guarded)
        }
        return ScheduledJob { cancelled.withLock { $0 = true } }
    }

    /// Schedules `job` like ``execute(after:_:)``; a queue never shuts down, so it never refuses.
    ///
    /// ```swift
    /// let hint = DispatchQueue.main.tryExecute(after: .seconds(2)) { showSpinner() }  // never nil
    /// ```
    ///
    /// - Parameters:
    ///   - delay: How long to wait before submitting the job.
    ///   - job: The work to run.
    /// - Returns: The handle of the scheduled job; never `nil`.
    public func tryExecute(after delay: Duration, _ job: @escaping @Sendable () -> Void) -> ScheduledJob? {
        execute(after: delay, job)
    }
}
