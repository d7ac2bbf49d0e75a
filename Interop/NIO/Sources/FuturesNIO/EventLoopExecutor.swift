import Futures
import NIOCore

/// A SwiftNIO event loop as a ``Futures/SchedulingExecutor``: continuations, `Future.async`,
/// timeouts, delays and retries run on the loop's thread.
///
/// Get one from any loop with ``NIOCore/EventLoop/futureExecutor`` or `.eventLoop(loop)`:
///
/// ```swift
/// let loop = group.next()
/// let parsed = Future(channel.readRequest())  // an EventLoopFuture, bridged
///     .map(on: loop.futureExecutor) { request in try Request(parsing: request) }
///     .timeout(after: .seconds(5), on: .eventLoop(loop))
/// ```
///
/// Jobs go to `EventLoop.execute(_:)` and run in submission order on the loop's thread. Delayed
/// jobs go to `EventLoop.scheduleCallback(in:handler:)`, on the loop's own clock (virtual on an
/// `EmbeddedEventLoop`: they run when the test advances its time), and ``Futures/ScheduledJob/cancel()``
/// cancels them.
///
/// ## Shutting down
///
/// NIO accepts no work on a loop that has shut down (it prints an error and drops the job). This
/// executor notices the refusal, so that no job is dropped silently:
/// - ``tryExecute(_:)`` returns `false`, so `Future.async(on:)` and every continuation bound to the
///   loop fail their future with `FutureError.Code.executorShutdown`; callbacks registered with
///   `onComplete(on:)` run on the completing thread instead.
/// - ``tryExecute(after:_:)`` returns `nil`, so the timer-based operators (`timeout`, `delay`,
///   the waits of `retry`) fail their future with `FutureError.Code.executorShutdown`.
/// - Raw ``execute(_:)`` and ``execute(after:_:)`` calls run the job on the calling thread through
///   `.inline`, at once, ignoring the delay: early rather than never.
/// - Delayed jobs still waiting when the loop shuts down (NIO cancels them) run at that moment on
///   the loop's thread, early rather than never, unless they were cancelled first.
public struct EventLoopExecutor: SchedulingExecutor {
    /// The loop that runs the jobs.
    ///
    /// ```swift
    /// let executor = loop.futureExecutor
    /// assert(executor.eventLoop === loop)
    /// ```
    public let eventLoop: any EventLoop

    /// Wraps `eventLoop`; cheap, so make one wherever you need it.
    ///
    /// ```swift
    /// let executor = EventLoopExecutor(group.next())
    /// let answer = Future.async(on: executor) { 42 }
    /// ```
    ///
    /// - Parameter eventLoop: The loop that runs the jobs.
    public init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    // MARK: - Running jobs

    /// Runs `job` on the loop's thread, or on the calling thread at once if the loop has shut down.
    ///
    /// ```swift
    /// loop.futureExecutor.execute { print("on the event loop") }
    /// ```
    ///
    /// - Parameter job: The work to run.
    public func execute(_ job: @escaping @Sendable () -> Void) {
        if !tryExecute(job) {
            InlineExecutor().execute(job)
        }
    }

    /// Runs `job` on the loop's thread, or returns `false` without running it if the loop has shut down.
    ///
    /// The futures API submits through this method, and fails the affected future with
    /// `FutureError.Code.executorShutdown` when it returns `false`.
    ///
    /// ```swift
    /// if !loop.futureExecutor.tryExecute({ flush() }) { print("the loop has shut down") }
    /// ```
    ///
    /// - Parameter job: The work to run.
    /// - Returns: `true` if the loop took the job; `false` if it refused it because it has shut down.
    public func tryExecute(_ job: @escaping @Sendable () -> Void) -> Bool {
        if ShutDownLoops.shared.contains(eventLoop) { return false }
        let ticket = JobTicket()
        do {
            let carrier = JobCarrier(ticket: ticket, job: job)
            eventLoop.execute { carrier.run() }
        }
        // A loop that refuses a job releases it before `execute` returns (NIO drops it on the spot),
        // and with it the carrier, which records the refusal.
        guard ticket.settle() else {
            ShutDownLoops.shared.insert(eventLoop)
            return false
        }
        return true
    }

    // MARK: - Scheduling

    /// The loop's clock (`eventLoop.now`) as an instant of the continuous clock: real time on a
    /// `MultiThreadedEventLoopGroup` loop, the virtual time of an `EmbeddedEventLoop`.
    ///
    /// Only differences between two readings of one loop's executor are meaningful.
    ///
    /// ```swift
    /// let deadline = loop.futureExecutor.now + .seconds(30)
    /// ```
    public var now: ContinuousClock.Instant {
        ClockAnchor.shared.instant + .nanoseconds(eventLoop.now.uptimeNanoseconds)
            - .nanoseconds(ClockAnchor.shared.uptimeNanoseconds)
    }

    /// Runs `job` on the loop's thread once `delay` has passed on the loop's clock.
    ///
    /// The job goes to `EventLoop.scheduleCallback(in:handler:)`; a zero or negative delay runs it
    /// on the loop's next tick. If the loop has shut down, the job runs on the calling thread at
    /// once instead; if the loop shuts down while the job waits, it runs then (see "Shutting down"
    /// in ``EventLoopExecutor``).
    ///
    /// ```swift
    /// let reminder = loop.futureExecutor.execute(after: .seconds(30)) { print("still waiting") }
    /// reminder.cancel()
    /// ```
    ///
    /// - Parameters:
    ///   - delay: How long to wait before running the job.
    ///   - job: The work to run.
    /// - Returns: A handle that cancels the job if it has not started.
    @discardableResult
    public func execute(after delay: Duration, _ job: @escaping @Sendable () -> Void) -> ScheduledJob {
        if let scheduled = tryExecute(after: delay, job) {
            return scheduled
        }
        InlineExecutor().execute(job)
        return ScheduledJob {}
    }

    /// Schedules `job` like ``execute(after:_:)``, or returns `nil` without running it if the loop
    /// has shut down.
    ///
    /// The timer-based operators (`timeout`, `delay`, `Future.succeeded(_:after:on:)`,
    /// `Future.sleep(for:on:)`, the waits of `retry`) schedule through this method, and fail their
    /// future with `FutureError.Code.executorShutdown` when it returns `nil`.
    ///
    /// ```swift
    /// if loop.futureExecutor.tryExecute(after: .seconds(1), { refresh() }) == nil {
    ///     print("the loop has shut down")
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - delay: How long to wait before running the job.
    ///   - job: The work to run.
    /// - Returns: A handle that cancels the job if it has not started, or `nil` if the loop refused
    ///   it because it has shut down.
    public func tryExecute(after delay: Duration, _ job: @escaping @Sendable () -> Void) -> ScheduledJob? {
        if ShutDownLoops.shared.contains(eventLoop) { return nil }
        let ticket = JobTicket()
        let callback: NIOScheduledCallback?
        do {
            let handler = DelayedJobHandler(carrier: JobCarrier(ticket: ticket, job: job))
            callback = try? eventLoop.scheduleCallback(in: TimeAmount(max(delay, .zero)), handler: handler)
        }
        // A loop that refuses the job releases the handler, or cancels it, before returning.
        guard let callback, ticket.settle() else {
            ShutDownLoops.shared.insert(eventLoop)
            return nil
        }
        return ScheduledJob {
            if ticket.cancel() {
                callback.cancel()
            }
        }
    }
}

// MARK: - Accessors

extension EventLoop {
    /// This loop as a ``Futures/SchedulingExecutor``, for the `on:` parameter of the futures API.
    ///
    /// ```swift
    /// let size = Future.async(on: loop.futureExecutor) { try loadIndex().count }
    /// ```
    public var futureExecutor: EventLoopExecutor {
        EventLoopExecutor(self)
    }
}

extension FutureExecutor where Self == EventLoopExecutor {
    /// The executor that runs jobs on `eventLoop`: `.eventLoop(loop)` wherever an executor is expected.
    ///
    /// ```swift
    /// let doubled = future.map(on: .eventLoop(loop)) { $0 * 2 }
    /// ```
    ///
    /// - Parameter eventLoop: The loop that runs the jobs.
    /// - Returns: An ``EventLoopExecutor`` for `eventLoop`.
    public static func eventLoop(_ eventLoop: any EventLoop) -> EventLoopExecutor {
        EventLoopExecutor(eventLoop)
    }
}

// MARK: - Machinery

extension TimeAmount {
    /// `duration`, in whole nanoseconds, saturating at the largest amount NIO can represent.
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else {
            self = .nanoseconds(seconds < 0 ? .min : .max)
            return
        }
        let (total, overflowAgain) = whole.addingReportingOverflow(attoseconds / 1_000_000_000)
        self = .nanoseconds(overflowAgain ? (seconds < 0 ? .min : .max) : total)
    }
}

/// One reading of both clocks, so that the loop's clock can be expressed on the continuous clock.
private struct ClockAnchor: Sendable {
    let instant: ContinuousClock.Instant
    let uptimeNanoseconds: UInt64

    static let shared = ClockAnchor(instant: .now, uptimeNanoseconds: NIODeadline.now().uptimeNanoseconds)
}

/// A delayed job, as NIO's scheduled-callback handler: it runs the job when the callback fires, and
/// also when NIO cancels it at shutdown (``ScheduledJob/cancel()`` marks the ticket first, so a
/// job cancelled by its owner never runs).
private struct DelayedJobHandler: NIOScheduledCallbackHandler, Sendable {
    let carrier: JobCarrier

    func handleScheduledCallback(eventLoop: some EventLoop) {
        carrier.run()
    }

    func didCancelScheduledCallback(eventLoop: some EventLoop) {
        carrier.loopCancelled()
    }
}
