// MARK: - Unwrapping optionals

extension Future {
    /// Returns a future of this future's value unwrapped, failing with `error` when it is `nil`.
    ///
    /// A `nil` value fails the result with `error`, raised at an `unwrap` frame; a failure of this
    /// future passes through with an `unwrap` frame. No closure runs. Cancelling the result does not
    /// cancel this future. SwiftNIO's `unwrap(orError:)`.
    ///
    /// ```swift
    /// let user = cache.lookUp(id).unwrap(orError: LookupError.notFound(id))
    /// ```
    ///
    /// - Parameters:
    ///   - error: The error to fail with when the value is `nil`.
    ///   - fileID: The file of the call site; defaults to the caller's.
    ///   - line: The line of the call site; defaults to the caller's.
    ///   - function: The function of the call site; defaults to the caller's.
    /// - Returns: A future of the unwrapped value.
    public func unwrap<Wrapped: Sendable>(
        orError error: any Error,
        fileID: StaticString = #fileID,
        line: UInt = #line,
        function: StaticString = #function
    ) -> Future<Wrapped> where Value == Wrapped? {
        unwrapping(CallSite(.unwrap, fileID, line, function)) { .failure(error) }
    }

    /// Returns a future of this future's value unwrapped, or `replacement` when it is `nil`.
    ///
    /// A failure of this future passes through with an `unwrap` frame. No closure runs. Cancelling
    /// the result does not cancel this future. SwiftNIO's `unwrap(orReplace:)`.
    ///
    /// ```swift
    /// let limit = settings.value(for: "limit").unwrap(orReplace: 100)
    /// ```
    ///
    /// - Parameters:
    ///   - replacement: The value to use when the value is `nil`.
    ///   - fileID: The file of the call site; defaults to the caller's.
    ///   - line: The line of the call site; defaults to the caller's.
    ///   - function: The function of the call site; defaults to the caller's.
    /// - Returns: A future of the unwrapped value or the replacement.
    public func unwrap<Wrapped: Sendable>(
        orReplace replacement: Wrapped,
        fileID: StaticString = #fileID,
        line: UInt = #line,
        function: StaticString = #function
    ) -> Future<Wrapped> where Value == Wrapped? {
        unwrapping(CallSite(.unwrap, fileID, line, function)) { .success(replacement) }
    }

    /// Unwraps into a new future at `site`, with `ifNil` deciding the outcome of a `nil` value.
    private func unwrapping<Wrapped: Sendable>(
        _ site: CallSite,
        ifNil: @escaping @Sendable () -> Result<Wrapped, any Error>
    ) -> Future<Wrapped> where Value == Wrapped? {
        let next = Future<Wrapped>(site: site)
        register(
            ClosureCallback { outcome in
                switch outcome {
                case .success(.some(let value)):
                    next.complete(.success(value))
                case .success(.none):
                    switch ifNil() {
                    case .success(let value): next.complete(.success(value))
                    case .failure(let error): next.fail(raising: error)
                    }
                case .failure(let failure):
                    next.complete(.passedThrough(failure, at: site))
                }
            })
        return next
    }
}
