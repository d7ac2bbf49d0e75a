// MARK: - Iterating in completion order, with a deadline

/// Returns an asynchronous sequence of the inputs in the order they complete, which throws
/// ``FutureError/Code/timedOut`` when `timeout` passes with inputs left.
///
/// Python's `asyncio.as_completed(fs, timeout=...)` and `concurrent.futures.as_completed`. Each
/// input comes out exactly once, done; inputs that are already done when iteration starts come
/// first, in input order. The deadline is counted from the start of iteration (the call to
/// `makeAsyncIterator()`, which `for try await` makes) on `executor`'s clock, so on a
/// `TestExecutor` it passes when virtual time does. When it passes first, the next call to
/// `next()` throws ``FutureError/Code/timedOut`` and the sequence ends. If `executor` refuses the
/// deadline because it has shut down (a shut-down ``ThreadPoolExecutor``), the first call to
/// `next()` throws ``FutureError/Code/executorShutdown`` instead.
///
/// ```swift
/// do {
///     for try await done in asCompleted(requests, timeout: .seconds(5), on: pool) {
///         print(done.result!)
///     }
/// } catch let error as FutureError where error.code == .timedOut {
///     print("some requests are still running")
/// }
/// ```
///
/// No closure runs on the futures' behalf. Timing out cancels none of the inputs; cancelling the
/// iterating task ends the sequence (`next()` returns `nil`) and cancels none of them either. Each
/// iterator starts its own pass, with its own deadline. On Apple platforms it needs the OS
/// releases whose `AsyncSequence` has a `Failure` type (macOS 15, iOS 18, tvOS 18, watchOS 11).
///
/// - Parameters:
///   - futures: The inputs.
///   - timeout: How long the iteration may take, at most.
///   - executor: The executor whose clock measures the deadline.
/// - Returns: A sequence of the inputs, in completion order, that throws on timeout.
@available(macOS 15.0, iOS 18.0, tvOS 18.0, watchOS 11.0, *)
public func asCompleted<T: Sendable>(
    _ futures: some Sequence<Future<T>>,
    timeout: Duration,
    on executor: some SchedulingExecutor
) -> some AsyncSequence<Future<T>, any Error> & Sendable {
    TimedAsCompletedSequence(inputs: Array(futures), timeout: timeout, executor: executor)
}

/// The sequence `asCompleted(_:timeout:on:)` returns: the inputs and a deadline marker, handed
/// out through a ``CompletionBuffer``; the marker completing first means the deadline passed.
struct TimedAsCompletedSequence<T: Sendable>: AsyncSequence, Sendable {
    typealias Element = Future<T>
    typealias Failure = any Error

    let inputs: [Future<T>]
    let timeout: Duration
    let executor: any SchedulingExecutor

    func makeAsyncIterator() -> Iterator {
        let owner = CompletionBufferOwner<T>()
        for input in inputs {
            owner.buffer.put(input)
        }
        let marker = Future<T>(site: CallSite(.timeout, #fileID, #line, #function))
        owner.buffer.put(marker)
        let deadline = executor.tryExecute(after: timeout) {
            marker.fail(raising: FutureError(code: .timedOut, message: "the futures did not all complete in time"))
        }
        let timer = deadline ?? ScheduledJob {}
        if deadline == nil {
            marker.fail(
                raising: FutureError(code: .executorShutdown, message: "the executor of this deadline has shut down"))
        }
        return Iterator(owner: owner, marker: marker, timer: TimerOwner(timer), remaining: inputs.count)
    }

    struct Iterator: AsyncIteratorProtocol {
        typealias Element = Future<T>
        typealias Failure = any Error

        /// Closes the buffer once the iteration is dropped, even if it was left early.
        let owner: CompletionBufferOwner<T>
        let marker: Future<T>
        /// Cancels the deadline once the iteration is dropped, even if it was left early.
        let timer: TimerOwner
        var remaining: Int
        var isFinished = false

        mutating func next() async throws -> Future<T>? {
            guard !isFinished else { return nil }
            guard remaining > 0, let future = await owner.buffer.next() else {
                finish()
                return nil
            }
            if future === marker {
                finish()
                if let refused = marker.error as? FutureError, refused.code == .executorShutdown { throw refused }
                throw FutureError(
                    code: .timedOut, message: "\(remaining) of the futures did not complete before the deadline")
            }
            remaining -= 1
            return future
        }

        private mutating func finish() {
            isFinished = true
            timer.job.cancel()
            marker.fail(raising: CancellationError())
        }
    }
}

/// Cancels its timer when the iteration that owns it is dropped.
final class TimerOwner: Sendable {
    let job: ScheduledJob

    init(_ job: ScheduledJob) {
        self.job = job
    }

    deinit {
        job.cancel()
    }
}
