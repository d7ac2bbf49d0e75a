// MARK: - Iterating in completion order

/// Returns an asynchronous sequence of the inputs in the order they complete.
///
/// Each input comes out exactly once (an input that appears twice comes out twice), done:
/// succeeded, failed or cancelled, so reading its `result` or awaiting its `value` never waits.
/// Inputs that are already done when iteration starts come first, in input order; the others
/// follow as they complete. The sequence ends after the last input; with no input it is empty.
///
/// ```swift
/// for await done in asCompleted(urls.map { fetch($0) }) {
///     switch done.result! {
///     case .success(let page): print("fetched", page.title)
///     case .failure(let error): print("failed:", error)
///     }
/// }
/// ```
///
/// No closure runs on the futures' behalf: an input is queued on the thread that completes it and
/// handed to the iterating task. The sequence never throws; cancelling the iterating task ends it
/// (`next()` returns `nil` instead of waiting) and cancels none of the inputs. Each iterator
/// starts its own pass over all the inputs.
///
/// On Apple platforms it needs the OS releases whose `AsyncSequence` has a `Failure` type (macOS
/// 15, iOS 18, tvOS 18, watchOS 11).
///
/// - Parameter futures: The inputs.
/// - Returns: A sequence of the inputs, in completion order.
@available(macOS 15.0, iOS 18.0, tvOS 18.0, watchOS 11.0, *)
public func asCompleted<T: Sendable>(
    _ futures: some Sequence<Future<T>>
) -> some AsyncSequence<Future<T>, Never> & Sendable {
    AsCompletedSequence(inputs: Array(futures))
}

/// The sequence `asCompleted` returns: the inputs, handed out through a ``CompletionBuffer``.
struct AsCompletedSequence<T: Sendable>: AsyncSequence, Sendable {
    typealias Element = Future<T>
    typealias Failure = Never

    let inputs: [Future<T>]

    func makeAsyncIterator() -> Iterator {
        let owner = CompletionBufferOwner<T>()
        for input in inputs {
            owner.buffer.put(input)
        }
        return Iterator(owner: owner)
    }

    struct Iterator: AsyncIteratorProtocol, Sendable {
        typealias Element = Future<T>
        typealias Failure = Never

        /// Closes the buffer once the iteration is dropped, even if it was left early.
        let owner: CompletionBufferOwner<T>
        var isFinished = false

        mutating func next() async -> Future<T>? {
            guard !isFinished else { return nil }
            guard let future = await owner.buffer.next() else {
                isFinished = true
                return nil
            }
            return future
        }
    }
}
