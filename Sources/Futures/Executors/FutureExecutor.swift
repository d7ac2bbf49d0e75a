/// Something that runs jobs: the minimal executor protocol that every continuation accepts.
///
/// Conform your own scheduler by implementing ``execute(_:)``. Executors that can refuse work
/// after shutting down also implement ``tryExecute(_:)`` (and, for a ``SchedulingExecutor``,
/// ``SchedulingExecutor/tryExecute(after:_:)``), so that the futures API can fail the affected
/// future with ``FutureError/Code/executorShutdown`` instead of dropping the job.
///
/// ```swift
/// struct MainThreadExecutor: FutureExecutor {
///     func execute(_ job: @escaping @Sendable () -> Void) {
///         DispatchQueue.main.async(execute: job)
///     }
/// }
/// ```
///
/// The protocol is not named `Executor` because Swift's concurrency module already has one.
public protocol FutureExecutor: Sendable {
    /// Runs `job` once, now or later, on a thread of the executor's choosing.
    ///
    /// ```swift
    /// executor.execute { print("runs on the executor") }
    /// ```
    ///
    /// - Parameter job: The work to run.
    func execute(_ job: @escaping @Sendable () -> Void)

    /// Runs `job` once, or returns `false` without running it if the executor accepts no work.
    ///
    /// The futures API submits through this method. The default implementation calls
    /// ``execute(_:)`` and returns `true`.
    ///
    /// ```swift
    /// if !executor.tryExecute({ flush() }) {
    ///     flush()  // the executor has shut down: run it here instead
    /// }
    /// ```
    ///
    /// - Parameter job: The work to run.
    /// - Returns: `true` if the executor took the job; `false` if it has shut down.
    func tryExecute(_ job: @escaping @Sendable () -> Void) -> Bool
}

extension FutureExecutor {
    /// Calls ``execute(_:)`` and returns `true`: by default an executor always accepts work.
    ///
    /// ```swift
    /// let accepted = DispatchQueue.global().tryExecute { print("hello") }  // always true
    /// ```
    ///
    /// - Parameter job: The work to run.
    /// - Returns: `true`.
    public func tryExecute(_ job: @escaping @Sendable () -> Void) -> Bool {
        execute(job)
        return true
    }
}

/// An executor that can also run a job after a delay, and tells the time it schedules by.
///
/// `TestExecutor` (module `FuturesTesting`) implements it on virtual time; `DispatchQueue` and
/// `ThreadPoolExecutor` on the continuous clock.
///
/// ```swift
/// func remind(on executor: some SchedulingExecutor) -> ScheduledJob {
///     executor.execute(after: .seconds(10)) { print("still working") }
/// }
/// ```
public protocol SchedulingExecutor: FutureExecutor {
    /// The executor's current time: virtual on a test executor, the continuous clock elsewhere.
    ///
    /// ```swift
    /// let deadline = executor.now + .seconds(30)
    /// ```
    var now: ContinuousClock.Instant { get }

    /// Runs `job` once, `delay` from ``now``; a zero or negative delay runs it as soon as possible.
    ///
    /// ```swift
    /// let reminder = executor.execute(after: .seconds(30)) { print("still waiting") }
    /// ```
    ///
    /// - Parameters:
    ///   - delay: How long to wait before running the job.
    ///   - job: The work to run.
    /// - Returns: A handle that cancels the job if it has not started.
    @discardableResult
    func execute(after delay: Duration, _ job: @escaping @Sendable () -> Void) -> ScheduledJob

    /// Runs `job` once, `delay` from ``now``, or returns `nil` without scheduling it if the
    /// executor accepts no work.
    ///
    /// The timer-based operators (`timeout`, `delay`, `Future.succeeded(_:after:on:)`,
    /// `Future.sleep(for:on:)`, the waits of `retry`) schedule through this method, and fail their
    /// future with ``FutureError/Code/executorShutdown`` when it returns `nil`. The default
    /// implementation calls ``execute(after:_:)`` and never refuses.
    ///
    /// ```swift
    /// guard let reminder = executor.tryExecute(after: .seconds(30), { print("still waiting") }) else {
    ///     print("the executor has shut down")
    ///     return
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - delay: How long to wait before running the job.
    ///   - job: The work to run.
    /// - Returns: A handle that cancels the job if it has not started, or `nil` if the executor
    ///   has shut down and did not take the job.
    func tryExecute(after delay: Duration, _ job: @escaping @Sendable () -> Void) -> ScheduledJob?
}

extension SchedulingExecutor {
    /// Calls ``execute(after:_:)`` and returns its handle: by default an executor always accepts
    /// delayed work.
    ///
    /// ```swift
    /// let job = DispatchQueue.global().tryExecute(after: .seconds(1)) { print("later") }  // never nil
    /// ```
    ///
    /// - Parameters:
    ///   - delay: How long to wait before running the job.
    ///   - job: The work to run.
    /// - Returns: The handle of the scheduled job; never `nil`.
    public func tryExecute(after delay: Duration, _ job: @escaping @Sendable () -> Void) -> ScheduledJob? {
        execute(after: delay, job)
    }
}

/// A handle to a job scheduled with ``SchedulingExecutor/execute(after:_:)``.
///
/// ```swift
/// let job = executor.execute(after: .seconds(5)) { print("late") }
/// job.cancel()  // the job will not run, unless it already started
/// ```
public struct ScheduledJob: Sendable {
    private let onCancel: @Sendable () -> Void

    /// Creates a handle whose ``cancel()`` calls `cancel`, so that executors outside this module
    /// can conform to ``SchedulingExecutor``.
    ///
    /// ```swift
    /// let item = DispatchWorkItem(block: job)
    /// queue.asyncAfter(deadline: .now() + .seconds(1), execute: item)
    /// return ScheduledJob { item.cancel() }
    /// ```
    ///
    /// - Parameter cancel: Prevents the job from running if it has not started. Must be safe to
    ///   call more than once and from any thread.
    public init(cancel: @escaping @Sendable () -> Void) {
        self.onCancel = cancel
    }

    /// Prevents the job from running if it has not started yet; harmless otherwise.
    ///
    /// ```swift
    /// let timer = executor.execute(after: .seconds(5)) { promise.fail(FutureError(code: .timedOut)) }
    /// promise.future.onComplete { _ in timer.cancel() }
    /// ```
    public func cancel() {
        onCancel()
    }
}
