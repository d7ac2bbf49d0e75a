// MARK: - Waiting for every input, without values

/// Returns a future that succeeds with no value once every input has succeeded.
///
/// The `Void` form of `combineFutures(_:failFast:)`: the same rule, without collecting values.
/// If any input fails, the result fails with the failure of the **lowest-index** failed input,
/// whatever order the failures happened in; that failure keeps the input's traceback and gains an
/// `allSucceeded` frame whose `inputIndex` and `inputCount` name the failed input. By default the
/// result waits for every input; with `failFast: true` it fails as soon as that failure is known
/// and every input before it has succeeded (SwiftNIO's `andAllSucceed` fails at the first failure
/// in time; `failFast: true` is the deterministic counterpart).
///
/// ```swift
/// let flushed = allSucceeded(connections.map { $0.flush() }, failFast: true)
/// flushed.onSuccess { print("every connection flushed") }
/// ```
///
/// No closure runs: the result completes on the thread that completes the input that decides it.
/// Cancelling the result completes it with `CancellationError` and cancels none of the inputs. An
/// empty sequence gives a future that has already succeeded.
///
/// - Parameters:
///   - futures: The inputs, of any one value type.
///   - failFast: Whether to fail as soon as the failure is determined, rather than after every
///     input has completed.
///   - fileID: The file of the call site; defaults to the caller's.
///   - line: The line of the call site; defaults to the caller's.
///   - function: The function of the call site; defaults to the caller's.
/// - Returns: A future that succeeds once every input has succeeded.
public func allSucceeded<T: Sendable>(
    _ futures: some Sequence<Future<T>>,
    failFast: Bool = false,
    fileID: StaticString = #fileID,
    line: UInt = #line,
    function: StaticString = #function
) -> Future<Void> {
    let inputs = Array(futures)
    var combiner = Combiner<Void, Void>(
        site: CallSite(.allSucceeded, fileID, line, function),
        count: inputs.count,
        failFast: failFast,
        assemble: { _ in () }
    )
    for input in inputs {
        guard combiner.add(input, DropValue<T>.self) else { break }
    }
    return combiner.finish()
}

/// Returns a future that succeeds with no value once every input has completed, either way.
///
/// The `Void` form of `combineResults(_:)`: it never fails, and ignores the outcomes; read them
/// from the inputs themselves. SwiftNIO's `andAllComplete`.
///
/// ```swift
/// let drained = allCompleted(requests)
/// drained.onSuccess { print("every request finished") }
/// ```
///
/// No closure runs: the result completes on the thread that completes the last input. Cancelling
/// the result completes it with `CancellationError` and cancels none of the inputs. An empty
/// sequence gives a future that has already succeeded.
///
/// - Parameters:
///   - futures: The inputs, of any one value type.
///   - fileID: The file of the call site; defaults to the caller's.
///   - line: The line of the call site; defaults to the caller's.
///   - function: The function of the call site; defaults to the caller's.
/// - Returns: A future that succeeds once every input has completed; it never fails.
public func allCompleted<T: Sendable>(
    _ futures: some Sequence<Future<T>>,
    fileID: StaticString = #fileID,
    line: UInt = #line,
    function: StaticString = #function
) -> Future<Void> {
    let inputs = Array(futures)
    var combiner = Combiner<Void, Void>(
        site: CallSite(.allCompleted, fileID, line, function),
        count: inputs.count,
        failFast: false,
        assemble: { _ in () }
    )
    for input in inputs {
        _ = combiner.add(input, DropOutcome<T>.self)
    }
    return combiner.finish()
}

// MARK: - Lifts

/// Stores nothing for a value: `allSucceeded`.
enum DropValue<Input: Sendable>: CombineLift {
    static func element(_ value: Input) {}
}

/// Stores nothing for any outcome: `allCompleted`, which never fails.
enum DropOutcome<Input: Sendable>: CombineLift {
    static var storesFailures: Bool { true }

    static func element(_ value: Input) {}

    static func element(failure: TracebackNode) {}
}
