// MARK: - Completion order, blocking

/// Returns an iterator over the inputs in the order they complete, for synchronous code.
///
/// Python's `concurrent.futures.as_completed(fs, timeout)` for threads that may block. Each call
/// to ``CompletionOrder/next()`` blocks until another input is done and returns it; inputs that
/// are already done come first, in input order. Once every input has been returned, `next()`
/// returns `nil`. One deadline, counted from this call, covers the whole iteration: when it passes
/// with inputs left, `next()` throws ``FutureError/Code/timedOut`` (Python raises `TimeoutError`).
///
/// ```swift
/// var order = completionOrder(downloads, timeout: .seconds(30))
/// while let done = try order.next() {
///     print(done.result!)
/// }
/// ```
///
/// No closure runs on the inputs' behalf, and timing out cancels none of them. Deadlock rules are
/// those of ``Future/get(timeout:)``: a wait that could never end throws
/// ``FutureError/Code/wouldDeadlock`` at once.
///
/// - Parameters:
///   - futures: The inputs.
///   - timeout: How long the whole iteration may wait, at most; `nil` waits as long as it takes.
/// - Returns: An iterator over the inputs in completion order.
@available(*, noasync, message: "Use 'asCompleted(_:)' with 'for await' instead.")
public func completionOrder<T: Sendable>(
    _ futures: some Sequence<Future<T>>,
    timeout: Duration? = nil
) -> CompletionOrder<T> {
    CompletionOrder(futures, deadline: timeout.map { ContinuousClock.now + $0 })
}

/// The inputs of ``completionOrder(_:timeout:)``, handed out in the order they complete.
///
/// ```swift
/// var order = completionOrder(jobs)
/// while let done = try order.next() { handle(done) }
/// ```
public struct CompletionOrder<T: Sendable>: Sendable {
    /// Closes the buffer once the iteration is dropped, even if it was left early.
    private let owner = CompletionBufferOwner<T>()
    private let deadline: ContinuousClock.Instant?
    private var remaining: Int

    init(_ futures: some Sequence<Future<T>>, deadline: ContinuousClock.Instant?) {
        self.deadline = deadline
        var count = 0
        for future in futures {
            owner.buffer.put(future)
            count += 1
        }
        self.remaining = count
    }

    /// Blocks until another input is done and returns it; `nil` once every input was returned.
    ///
    /// ```swift
    /// while let done = try order.next() { print(done.isSucceeded) }
    /// ```
    ///
    /// - Returns: The next input to complete, or `nil` when none is left.
    /// - Throws: ``FutureError/Code/timedOut`` when the deadline passes with inputs left;
    ///   ``FutureError/Code/wouldDeadlock`` if waiting could never end.
    @available(*, noasync, message: "Use 'asCompleted(_:)' with 'for await' instead.")
    public mutating func next() throws -> Future<T>? {
        guard remaining > 0 else { return nil }
        guard let future = owner.buffer.take(until: deadline) else {
            if let deadline, deadline <= .now {
                throw FutureError(
                    code: .timedOut, message: "\(remaining) of the futures did not complete before the deadline")
            }
            throw FutureError(code: .wouldDeadlock)
        }
        remaining -= 1
        return future
    }
}
