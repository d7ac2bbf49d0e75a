/// A fixed pool of threads that runs jobs in submission order, now or after a delay.
///
/// Each of the `threadCount` threads takes the oldest queued job, runs it, and takes the next.
/// Delayed jobs (``execute(after:_:)``) run on the same threads once the continuous clock reaches
/// their deadline. Use the pool with the futures API like any executor:
///
/// ```swift
/// let pool = ThreadPoolExecutor(threadCount: 4)
/// let sizes = Future.async(on: pool) { try loadIndex() }
///     .map(on: pool) { index in index.entries.count }
/// print(try sizes.get())
/// pool.shutdown()
/// pool.awaitTermination()
/// ```
///
/// ## Shutting down
///
/// ``shutdown()`` stops the pool from accepting work. Everything accepted before still runs:
/// queued jobs, and delayed jobs at their deadline (cancel them with their ``ScheduledJob`` to
/// terminate sooner). Then the threads exit and ``awaitTermination(timeout:)`` returns `true`.
/// Releasing the last reference to the pool shuts it down the same way.
/// ``shutdown(cancellingPendingWork:fileID:line:function:)`` with `true` also cancels the
/// `Future.async` work that has not started (its future fails with `CancellationError`); plain
/// jobs still run.
///
/// No job is ever dropped silently. After shutdown:
/// - `Future.async(on:)` and every continuation bound to the pool (`map(on: pool)`, ...) fail their
///   future with ``FutureError/Code/executorShutdown``: they submit through ``tryExecute(_:)``,
///   which returns `false`.
/// - The timer-based operators on the pool (`timeout(after:on:)`, `delay(by:on:)`,
///   `Future.succeeded(_:after:on:)`, `Future.sleep(for:on:)`, the waits of `retry`) fail their
///   future with ``FutureError/Code/executorShutdown`` at once, without cancelling the source:
///   they schedule through ``tryExecute(after:_:)``, which returns `nil`.
/// - Callbacks registered with `onComplete(on: pool)`, `onSuccess(on:)` or `onFailure(on:)` run on
///   the thread that completes the future instead, so that none is lost.
/// - Raw ``execute(_:)`` and ``execute(after:_:)`` calls hand the job to ``FutureExecutor/inline``:
///   it runs on the calling thread, at once (ignoring the delay), or right after the job or
///   callback that thread is already running. Early rather than never.
///
/// ## Blocking inside a job
///
/// A job may block on a future with `get()` or `wait()`. While it waits, its thread runs the
/// pool's queued jobs, so a one-thread pool whose job waits for work queued behind it completes
/// instead of hanging. A job that waits for `Future.async` work running further down its own
/// thread's stack (its own future, say) fails at once with ``FutureError/Code/wouldDeadlock``.
/// The pool cannot tell whether a thread outside it will complete a future, so a wait on a
/// promise that nothing completes still waits for its timeout.
public final class ThreadPoolExecutor: SchedulingExecutor, Sendable {
    private let core: ThreadPoolCore

    /// The number of threads in the pool.
    ///
    /// ```swift
    /// let pool = ThreadPoolExecutor(threadCount: 4)
    /// assert(pool.threadCount == 4)
    /// ```
    public var threadCount: Int { core.threadCount }

    /// Starts a pool of `threadCount` threads.
    ///
    /// ```swift
    /// let pool = ThreadPoolExecutor(threadCount: 2)
    /// ```
    ///
    /// - Parameter threadCount: How many threads run jobs; at least 1.
    public init(threadCount: Int) {
        precondition(
            threadCount > 0,
            "ThreadPoolExecutor needs at least one thread, but threadCount was \(threadCount)."
        )
        core = ThreadPoolCore(threadCount: threadCount)
        core.start()
    }

    deinit {
        core.shutdown()
    }

    // MARK: - Running jobs

    /// Queues `job` to run on one of the pool's threads.
    ///
    /// After ``shutdown()``, the job runs on the calling thread instead (see "Shutting down" in
    /// ``ThreadPoolExecutor``); use ``tryExecute(_:)`` to be told instead.
    ///
    /// ```swift
    /// pool.execute { print("on a pool thread") }
    /// ```
    ///
    /// - Parameter job: The work to run.
    public func execute(_ job: @escaping @Sendable () -> Void) {
        if !core.submit(job) {
            InlineExecutor().execute(job)
        }
    }

    /// Queues `job`, or returns `false` without running it if the pool has shut down.
    ///
    /// The futures API submits through this method, and fails the affected future with
    /// ``FutureError/Code/executorShutdown`` when it returns `false`.
    ///
    /// ```swift
    /// if !pool.tryExecute({ work() }) { print("the pool has shut down") }
    /// ```
    ///
    /// - Parameter job: The work to run.
    /// - Returns: `true` if the pool took the job.
    public func tryExecute(_ job: @escaping @Sendable () -> Void) -> Bool {
        core.submit(job)
    }

    /// The continuous clock's current instant: the pool schedules on real time.
    ///
    /// ```swift
    /// let deadline = pool.now + .seconds(5)
    /// ```
    public var now: ContinuousClock.Instant { .now }

    /// Runs `job` on one of the pool's threads once `delay` has passed.
    ///
    /// Jobs due at the same instant run in submission order; a zero or negative delay queues the
    /// job at once. A job that falls due while every thread is busy runs when one becomes free.
    /// After ``shutdown()``, the job runs on the calling thread at once instead (see "Shutting down" in
    /// ``ThreadPoolExecutor``).
    ///
    /// ```swift
    /// let reminder = pool.execute(after: .seconds(30)) { print("still waiting") }
    /// reminder.cancel()
    /// ```
    ///
    /// - Parameters:
    ///   - delay: How long to wait before running the job.
    ///   - job: The work to run.
    /// - Returns: A handle that cancels the job if it has not started.
    @discardableResult
    public func execute(after delay: Duration, _ job: @escaping @Sendable () -> Void) -> ScheduledJob {
        guard let scheduled = tryExecute(after: delay, job) else {
            InlineExecutor().execute(job)
            return ScheduledJob {}
        }
        return scheduled
    }

    /// Schedules `job` like ``execute(after:_:)``, or returns `nil` without scheduling it if the
    /// pool has shut down.
    ///
    /// The timer-based operators schedule through this method, and fail their future with
    /// ``FutureError/Code/executorShutdown`` when it returns `nil`.
    ///
    /// ```swift
    /// if pool.tryExecute(after: .seconds(1), { refresh() }) == nil { print("the pool has shut down") }
    /// ```
    ///
    /// - Parameters:
    ///   - delay: How long to wait before running the job.
    ///   - job: The work to run.
    /// - Returns: A handle that cancels the job if it has not started, or `nil` if the pool has
    ///   shut down.
    public func tryExecute(after delay: Duration, _ job: @escaping @Sendable () -> Void) -> ScheduledJob? {
        let deadline = delay > .zero ? ContinuousClock.now + delay : ContinuousClock.now
        guard let token = core.schedule(at: deadline, job) else { return nil }
        return ScheduledJob { [core] in core.cancel(token) }
    }

    // MARK: - Shutting down

    /// Whether ``shutdown()`` has been called.
    ///
    /// ```swift
    /// if !pool.isShutDown { pool.execute { refreshCache() } }
    /// ```
    public var isShutDown: Bool { core.isShutDown }

    /// Whether the pool has shut down and every thread has exited.
    ///
    /// ```swift
    /// pool.shutdown()
    /// pool.awaitTermination()
    /// assert(pool.isTerminated)
    /// ```
    public var isTerminated: Bool { core.isTerminated }

    /// Stops accepting work; the work already accepted still runs.
    ///
    /// Idempotent and non-blocking: call ``awaitTermination(timeout:)`` to wait for the threads to
    /// finish. Queued jobs run, and delayed jobs run at their deadline unless cancelled. What
    /// happens to work submitted afterwards is described under "Shutting down" in ``ThreadPoolExecutor``.
    ///
    /// ```swift
    /// pool.shutdown()
    /// pool.awaitTermination(timeout: .seconds(5))
    /// ```
    public func shutdown() {
        core.shutdown()
    }

    /// Stops accepting work and, if `cancellingPendingWork`, cancels the `Future.async` work that
    /// has not started, as Python's `shutdown(cancel_futures=True)` does.
    ///
    /// With `cancellingPendingWork: false` this is ``shutdown()``. With `true`, every
    /// ``Future/async(on:fileID:line:function:_:)-(_,_,_,_,()->Value)`` job still queued is taken
    /// out of the queue and its future cancelled: it fails with `CancellationError`, its traceback
    /// starts with a `cancel` frame at this call, and the work never runs. The futures are
    /// cancelled on the calling thread, in submission order, before this method returns, so their
    /// `.inline` callbacks run here. Work already running is not interrupted.
    ///
    /// Plain jobs are not cancelled: jobs given to ``execute(_:)`` or ``tryExecute(_:)``,
    /// continuations and callbacks bound to the pool (`map(on: pool)`, `onComplete(on: pool)`, ...)
    /// and delayed jobs still run, as after ``shutdown()``. The pool cannot know what a plain job
    /// would complete, and it never drops one silently; a stage whose source was cancelled fails
    /// with `CancellationError` when its job runs. To stop delayed jobs sooner, cancel them with
    /// their ``ScheduledJob``.
    ///
    /// ```swift
    /// let pool = ThreadPoolExecutor(threadCount: 1)
    /// let pages = (1...100).map { page in Future.async(on: pool) { try download(page) } }
    /// pool.shutdown(cancellingPendingWork: true)  // the pages not yet started are cancelled
    /// pool.awaitTermination()
    /// print(pages.filter(\.isCancelled).count)
    /// ```
    ///
    /// Calling it again, or after ``shutdown()``, cancels whatever `Future.async` work is still
    /// queued then.
    ///
    /// - Parameters:
    ///   - cancellingPendingWork: Whether to cancel the `Future.async` work that has not started.
    ///   - fileID: The file of the call site, named by the cancelled futures' `cancel` frame.
    ///   - line: The line of the call site.
    ///   - function: The function of the call site.
    public func shutdown(
        cancellingPendingWork: Bool,
        fileID: StaticString = #fileID,
        line: UInt = #line,
        function: StaticString = #function
    ) {
        core.shutdown(cancellingPendingWorkAt: cancellingPendingWork ? CallSite(.cancel, fileID, line, function) : nil)
    }

    /// Blocks until the pool has shut down and every thread has exited, or the timeout passes.
    ///
    /// It does not shut the pool down: without a call to ``shutdown()`` it waits for the timeout.
    /// Called from one of the pool's own threads, it returns `false` at once, since the pool cannot
    /// terminate while that thread waits.
    ///
    /// ```swift
    /// pool.shutdown()
    /// if !pool.awaitTermination(timeout: .seconds(5)) { print("jobs still running") }
    /// ```
    ///
    /// - Parameter timeout: How long to wait at most; `nil` waits as long as it takes.
    /// - Returns: Whether the pool has terminated.
    @available(*, noasync, message: "Call awaitTermination from a thread that may block, not from async code.")
    @discardableResult
    public func awaitTermination(timeout: Duration? = nil) -> Bool {
        if core.isCurrentThreadAWorker { return core.isTerminated }
        return core.awaitTermination(until: timeout.map { ContinuousClock.now + $0 })
    }
}

// MARK: - Cancellable submission

extension FutureExecutor {
    /// Submits the job of `Future.async` work, like ``tryExecute(_:)``; a ``ThreadPoolExecutor``
    /// that shuts down cancelling its pending work calls `cancel` instead of running the job.
    func tryExecute(
        _ job: @escaping @Sendable () -> Void,
        cancellingWith cancel: @escaping @Sendable (CallSite) -> Void
    ) -> Bool {
        guard let pool = self as? ThreadPoolExecutor else { return tryExecute(job) }
        return pool.submit(job, cancel: cancel)
    }
}

extension ThreadPoolExecutor {
    fileprivate func submit(_ job: @escaping @Sendable () -> Void, cancel: @escaping @Sendable (CallSite) -> Void)
        -> Bool
    {
        core.submit(job, cancel: cancel)
    }
}
