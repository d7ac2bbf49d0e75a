// MARK: - Combining a parameter pack

/// Returns a future of a tuple of the inputs' values, once every input has succeeded.
///
/// The heterogeneous form of combining a sequence of futures, for any number of futures of
/// different types. The failure rule is the same: if any input
/// fails, the result fails with the failure of the input that comes first in the argument list,
/// whatever order the failures happened in. That failure keeps the input's traceback and gains a
/// `combineFutures` frame whose `inputIndex` is the argument's zero-based position and whose
/// `inputCount` is the number of arguments.
///
/// ```swift
/// let page = combineFutures(fetchUser(id), fetchPosts(id), fetchAvatar(id))
///     .map { user, posts, avatar in render(user, posts, avatar) }
/// ```
///
/// With `failFast: true` the result fails as soon as the failure is determined: the first failed
/// argument is known and every argument before it has succeeded.
///
/// No closure runs: the result completes on the thread that completes the input that decides it,
/// through the inline trampoline. Cancelling the result completes it with `CancellationError` and
/// cancels none of the inputs. With no argument, the result has already succeeded with `()`.
///
/// - Parameters:
///   - futures: The inputs, of any types.
///   - failFast: Whether to fail as soon as the failure is determined, rather than after every
///     input has completed.
///   - fileID: The file of the call site; defaults to the caller's.
///   - line: The line of the call site; defaults to the caller's.
///   - function: The function of the call site; defaults to the caller's.
/// - Returns: A future of the values, as a tuple in argument order.
public func combineFutures<each T: Sendable>(
    _ futures: repeat Future<each T>,
    failFast: Bool = false,
    fileID: StaticString = #fileID,
    line: UInt = #line,
    function: StaticString = #function
) -> Future<(repeat each T)> {
    var count = 0
    for _ in repeat each futures { count += 1 }
    var combiner = Combiner<any Sendable, (repeat each T)>(
        site: CallSite(.combineFutures, fileID, line, function),
        count: count,
        failFast: failFast,
        assemble: { values in
            var index = 0
            func next<V>(_: V.Type) -> V {
                defer { index += 1 }
                guard let value = values[index] as? V else {
                    preconditionFailure("Internal inconsistency: a combined value does not have its input's type.")
                }
                return value
            }
            return (repeat next((each T).self))
        }
    )
    for input in repeat each futures {
        guard combiner.add(input, EraseValue.self) else { break }
    }
    return combiner.finish()
}
