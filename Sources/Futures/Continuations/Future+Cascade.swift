// MARK: - Cascading into promises

extension Future {
    /// Completes `promise` with this future's outcome when it completes.
    ///
    /// A failure keeps this future's traceback and gains a `cascade` frame. The registration keeps
    /// the promise alive until this future completes. Unlike ``Promise/complete(with:)``, it is a
    /// method of the future and accepts a `nil` promise, so that an optional promise passed down a
    /// call can be cascaded to without unwrapping. No closure runs. SwiftNIO's `cascade(to:)`.
    ///
    /// ```swift
    /// func handle(_ request: Request, completing promise: Promise<Response>?) {
    ///     process(request).cascade(to: promise)
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - promise: The promise to complete; `nil` does nothing.
    ///   - fileID: The file of the call site; defaults to the caller's.
    ///   - line: The line of the call site; defaults to the caller's.
    ///   - function: The function of the call site; defaults to the caller's.
    public func cascade(
        to promise: Promise<Value>?,
        fileID: StaticString = #fileID,
        line: UInt = #line,
        function: StaticString = #function
    ) {
        guard let promise else { return }
        let site = CallSite(.cascade, fileID, line, function)
        register(
            ClosureCallback { outcome in
                switch outcome {
                case .success: promise.future.complete(outcome)
                case .failure(let failure): promise.future.complete(.passedThrough(failure, at: site))
                }
            })
    }

    /// Completes `promise` with this future's value if it succeeds; a failure leaves it alone.
    ///
    /// No closure runs. SwiftNIO's `cascadeSuccess(to:)`.
    ///
    /// ```swift
    /// fastPath().cascadeSuccess(to: promise)
    /// slowPath().cascade(to: promise)  // whichever completes the promise first wins
    /// ```
    ///
    /// - Parameters:
    ///   - promise: The promise to succeed; `nil` does nothing.
    ///   - fileID: The file of the call site; defaults to the caller's.
    ///   - line: The line of the call site; defaults to the caller's.
    ///   - function: The function of the call site; defaults to the caller's.
    public func cascadeSuccess(
        to promise: Promise<Value>?,
        fileID: StaticString = #fileID,
        line: UInt = #line,
        function: StaticString = #function
    ) {
        guard let promise else { return }
        register(
            ClosureCallback { outcome in
                if case .success = outcome { promise.future.complete(outcome) }
            })
    }

    /// Fails `promise`, of any value type, with this future's error if it fails; a success leaves
    /// it alone.
    ///
    /// The failure keeps this future's traceback and gains a `cascadeFailure` frame. No closure
    /// runs. SwiftNIO's `cascadeFailure(to:)`.
    ///
    /// ```swift
    /// let handshake = connect()
    /// handshake.cascadeFailure(to: responsePromise)  // a failed handshake fails the response
    /// ```
    ///
    /// - Parameters:
    ///   - promise: The promise to fail; `nil` does nothing.
    ///   - fileID: The file of the call site; defaults to the caller's.
    ///   - line: The line of the call site; defaults to the caller's.
    ///   - function: The function of the call site; defaults to the caller's.
    public func cascadeFailure<Other: Sendable>(
        to promise: Promise<Other>?,
        fileID: StaticString = #fileID,
        line: UInt = #line,
        function: StaticString = #function
    ) {
        guard let promise else { return }
        let site = CallSite(.cascadeFailure, fileID, line, function)
        register(
            ClosureCallback { outcome in
                if case .failure(let failure) = outcome {
                    promise.future.complete(Outcome<Other>.passedThrough(failure, at: site))
                }
            })
    }
}
