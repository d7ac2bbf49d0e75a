import Synchronization

#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

// MARK: - Submitting work

extension Future {
    /// Runs `work` on `executor` and returns a future of its result.
    ///
    /// The future is pending until a thread of `executor` starts the work, running while it
    /// executes (``isRunning``), and done once it returns or throws. ``taskID`` identifies the
    /// work, unique and increasing in the process; ``duration`` tells how long it waited and ran.
    ///
    /// ```swift
    /// let pool = ThreadPoolExecutor(threadCount: 4)
    /// let checksum = Future.async(on: pool) { try checksumOfFile(at: path) }
    /// print(try checksum.get(timeout: .seconds(10)))
    /// ```
    ///
    /// An error thrown by `work` fails the future with a traceback whose first frame is this call,
    /// marked as raised. If `executor` has shut down and refuses the job, the future fails at once
    /// with ``FutureError/Code/executorShutdown``.
    ///
    /// Cancelling the future before the work starts means it never runs; cancelling it while the
    /// work runs only sets ``isCancelRequested``. The rules of the whole library are in
    /// <doc:Cancellation>.
    ///
    /// - Parameters:
    ///   - executor: Where `work` runs.
    ///   - fileID: The file of the call site; defaults to the caller's.
    ///   - line: The line of the call site; defaults to the caller's.
    ///   - function: The function of the call site; defaults to the caller's.
    ///   - work: The work; its return value or thrown error completes the future.
    /// - Returns: A future of the work's result.
    public static func async(
        on executor: some FutureExecutor,
        fileID: StaticString = #fileID,
        line: UInt = #line,
        function: StaticString = #function,
        _ work: @escaping @Sendable () throws -> Value
    ) -> Future {
        submit(on: executor, site: CallSite(.async, fileID, line, function), .plain(work))
    }

    /// Runs `work` on `executor`, letting it see whether cancellation was requested while it runs.
    ///
    /// The same as ``async(on:fileID:line:function:_:)-(_,_,_,_,()->Value)``, except that `work` receives a
    /// ``CancellationRequest``: a cancellation requested while the work runs does not interrupt it,
    /// but the work can check ``CancellationRequest/isRequested`` or call
    /// ``CancellationRequest/checkCancellation()`` and stop early. Throwing `CancellationError`
    /// marks the future as cancelled. The full rules are in <doc:Cancellation>.
    ///
    /// ```swift
    /// let scan = Future.async(on: pool) { cancellation in
    ///     var found: [URL] = []
    ///     for file in files {
    ///         try cancellation.checkCancellation()
    ///         if try matches(file) { found.append(file) }
    ///     }
    ///     return found
    /// }
    /// scan.cancel()  // the scan stops at the next file
    /// ```
    ///
    /// - Parameters:
    ///   - executor: Where `work` runs.
    ///   - fileID: The file of the call site; defaults to the caller's.
    ///   - line: The line of the call site; defaults to the caller's.
    ///   - function: The function of the call site; defaults to the caller's.
    ///   - work: The work, given the future's cancellation request to poll.
    /// - Returns: A future of the work's result.
    public static func async(
        on executor: some FutureExecutor,
        fileID: StaticString = #fileID,
        line: UInt = #line,
        function: StaticString = #function,
        _ work: @escaping @Sendable (CancellationRequest) throws -> Value
    ) -> Future {
        submit(on: executor, site: CallSite(.async, fileID, line, function), .observing(work))
    }

    /// Work of either overload; an enum rather than a wrapping closure, which would allocate.
    private enum Work: Sendable {
        case plain(@Sendable () throws -> Value)
        case observing(@Sendable (CancellationRequest) throws -> Value)
    }

    private static func submit(on executor: some FutureExecutor, site: CallSite, _ work: Work) -> Future {
        let record = WorkRecord(taskID: TaskIDs.next())
        let future = Future(site: site, work: record)
        let accepted = executor.tryExecute(
            WorkInFlight.tracking({ future.run(work, record: record) }, on: executor),
            cancellingWith: { site in _ = future.requestCancel(at: site) }
        )
        if !accepted {
            future.fail(
                raising: FutureError(
                    code: .executorShutdown, message: "the executor given to Future.async has shut down"))
        }
        return future
    }

    /// Runs submitted work, unless the future was cancelled before it started.
    private func run(_ work: Work, record: WorkRecord) {
        guard markRunning() else { return }
        record.start()
        let outcome: Outcome<Value>
        RunningWork.push(self)
        do {
            switch work {
            case .plain(let body): outcome = .success(try body())
            case .observing(let body): outcome = .success(try body(CancellationRequest(source: self)))
            }
        } catch {
            outcome = .raised(error, at: site)
        }
        RunningWork.pop()
        complete(outcome)
    }
}

// MARK: - Cancellation requests

/// What running `Future.async` work sees of a request to cancel it.
///
/// Running work is never interrupted; it polls the request and decides when to stop. The rules
/// of the whole library are in <doc:Cancellation>.
///
/// ```swift
/// let total = Future.async(on: pool) { cancellation in
///     var sum = 0
///     for chunk in chunks {
///         if cancellation.isRequested { break }
///         sum += chunk.reduce(0, +)
///     }
///     return sum
/// }
/// ```
public struct CancellationRequest: Sendable {
    private let source: any CancelRequestSource

    init(source: any CancelRequestSource) {
        self.source = source
    }

    /// Whether `cancel()` has been called on the work's future.
    public var isRequested: Bool { source.isCancelRequested }

    /// Throws `CancellationError` if `cancel()` has been called on the work's future.
    ///
    /// Thrown out of the work, the error marks the future as cancelled (``Future/isCancelled``).
    ///
    /// - Throws: `CancellationError` if cancellation was requested.
    public func checkCancellation() throws {
        if source.isCancelRequested { throw CancellationError() }
    }
}

/// An object whose cancel-requested flag work can poll: a future.
protocol CancelRequestSource: AnyObject, Sendable {
    var isCancelRequested: Bool { get }
}

extension Future: CancelRequestSource {}

// MARK: - Task ids

/// Hands out process-unique, increasing task ids.
enum TaskIDs {
    private static let last = Atomic<UInt64>(0)

    static func next() -> UInt64 {
        last.add(1, ordering: .relaxed).newValue
    }
}

// MARK: - Running work per thread

/// The `Future.async` futures whose work is running on the current thread, innermost last.
///
/// A blocking wait on one of them can never end: the work can only finish once the wait returns.
/// `Future.get` and `Future.wait` consult it and fail such a wait at once with `.wouldDeadlock`.
enum RunningWork {
    static func push(_ future: AnyObject) {
        ThreadContext.current.runningWork.append(ObjectIdentifier(future))
    }

    static func pop() {
        ThreadContext.current.runningWork.removeLast()
    }

    /// Whether `future`'s work is running on this thread, further down its stack.
    static func isRunningOnCurrentThread(_ future: AnyObject) -> Bool {
        ThreadContext.current.runningWork.contains(ObjectIdentifier(future))
    }
}
