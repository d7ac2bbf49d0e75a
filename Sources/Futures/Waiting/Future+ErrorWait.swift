// MARK: - Blocking for the error

extension Future {
    /// Blocks until the future completes, then returns its error, or `nil` if it succeeded.
    ///
    /// Python's `Future.exception(timeout)`: it never throws the future's own error, only
    /// ``FutureError/Code/timedOut`` when the timeout passes first. A cancelled future returns its
    /// `CancellationError`. Deadlock rules are those of ``get(timeout:)``: a wait that could never
    /// end throws ``FutureError/Code/wouldDeadlock`` at once.
    ///
    /// ```swift
    /// if let error = try upload.error(timeout: .seconds(5)) {
    ///     print("upload failed:", error)
    /// }
    /// ```
    ///
    /// - Parameter timeout: How long to wait at most; `nil` waits as long as it takes. Zero or
    ///   negative returns at once.
    /// - Returns: The future's error, or `nil` if it succeeded.
    /// - Throws: ``FutureError/Code/timedOut`` if the timeout passes first;
    ///   ``FutureError/Code/wouldDeadlock`` if waiting could never end.
    @available(*, noasync, message: "Use 'try await future.value' inside a do/catch instead.")
    public func error(timeout: Duration?) throws -> (any Error)? {
        if let outcome = doneOutcome { return outcome.error }
        switch blockingWait(timeout: timeout) {
        case .satisfied, .notHandled:
            return doneOutcome?.error
        case .timedOut:
            throw FutureError.timedOut(after: timeout ?? .zero)
        case .wouldDeadlock:
            throw FutureError(code: .wouldDeadlock)
        }
    }
}

extension Outcome {
    /// The error of a failure, `nil` for a success.
    var error: (any Error)? {
        if case .failure(let failure) = self { return failure.error }
        return nil
    }
}
