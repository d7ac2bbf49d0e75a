// MARK: - Combining a sequence

/// Returns a future of every input's value, in input order, once every input has succeeded.
///
/// The result succeeds with the values in input order, whatever order the inputs completed in.
/// If any input fails, the result fails with the failure of the **lowest-index** failed input,
/// whatever order the failures happened in, so the answer never depends on scheduling. That
/// failure keeps the input's traceback and gains a `combineFutures` frame, marked as passed
/// through, whose `inputIndex` and `inputCount` name the failed input.
///
/// ```swift
/// let pages = combineFutures(urls.map { fetch($0) })
/// pages.onSuccess { pages in print("fetched \(pages.count) pages") }
/// ```
///
/// By default the result waits for every input, even after a failure. With `failFast: true` it
/// completes as soon as the answer is determined: when the lowest-index failure is known and every
/// input before it has succeeded. Both modes give the same answer; only the moment differs, and
/// that moment depends on which inputs have completed, never on timing.
///
/// No closure runs: the result completes on the thread that completes the input that decides it,
/// through the inline trampoline. Cancelling the result completes it with `CancellationError` and
/// cancels none of the inputs.
///
/// An empty sequence gives a future that has already succeeded with `[]`. The same future may
/// appear more than once; inputs that are already done are read at once, in input order.
/// Combining costs time and memory linear in the number of inputs, without recursion.
///
/// - Parameters:
///   - futures: The inputs.
///   - failFast: Whether to fail as soon as the failure is determined, rather than after every
///     input has completed.
///   - fileID: The file of the call site; defaults to the caller's.
///   - line: The line of the call site; defaults to the caller's.
///   - function: The function of the call site; defaults to the caller's.
/// - Returns: A future of the values, in input order.
public func combineFutures<T: Sendable>(
    _ futures: some Sequence<Future<T>>,
    failFast: Bool = false,
    fileID: StaticString = #fileID,
    line: UInt = #line,
    function: StaticString = #function
) -> Future<[T]> {
    let inputs = Array(futures)
    var combiner = Combiner<T, [T]>(
        site: CallSite(.combineFutures, fileID, line, function),
        count: inputs.count,
        failFast: failFast,
        assemble: { $0 }
    )
    for input in inputs {
        guard combiner.add(keeping: input) else { break }
    }
    return combiner.finish()
}

/// Returns a future of every input's outcome, in input order, once every input has completed.
///
/// The result never fails: each input's success or failure (including `CancellationError`) is
/// one `Result` in the array, in input order, whatever order the inputs completed in. Read an
/// input's traceback from the input future itself.
///
/// ```swift
/// let outcomes = combineResults(replicas.map { $0.ping() })
/// outcomes.onSuccess { results in
///     let healthy = results.filter { (try? $0.get()) != nil }.count
///     print("\(healthy) of \(results.count) replicas answered")
/// }
/// ```
///
/// No closure runs: the result completes on the thread that completes the last input, through the
/// inline trampoline. Cancelling the result completes it with `CancellationError` and cancels none
/// of the inputs. An empty sequence gives a future that has already succeeded with `[]`; the same
/// future may appear more than once.
///
/// - Parameters:
///   - futures: The inputs.
///   - fileID: The file of the call site; defaults to the caller's.
///   - line: The line of the call site; defaults to the caller's.
///   - function: The function of the call site; defaults to the caller's.
/// - Returns: A future of the outcomes, in input order; it never fails.
public func combineResults<T: Sendable>(
    _ futures: some Sequence<Future<T>>,
    fileID: StaticString = #fileID,
    line: UInt = #line,
    function: StaticString = #function
) -> Future<[Result<T, any Error>]> {
    let inputs = Array(futures)
    var combiner = Combiner<Result<T, any Error>, [Result<T, any Error>]>(
        site: CallSite(.combineResults, fileID, line, function),
        count: inputs.count,
        failFast: false,
        assemble: { $0 }
    )
    for input in inputs {
        _ = combiner.add(input, CaptureResult<T>.self)
    }
    return combiner.finish()
}
