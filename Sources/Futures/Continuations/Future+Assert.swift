// MARK: - Debug assertions

extension Future {
    /// Returns a future with this future's outcome, asserting in debug builds that it succeeds.
    ///
    /// In a debug build, a failure stops the program with an assertion naming the error and this
    /// call site; in an optimised build (`-O`), nothing is checked. Either way the outcome passes
    /// through (a failure gains an `assertSuccess` frame), so the assertion can sit in the middle of
    /// a chain. No closure runs. SwiftNIO's `assertSuccess()`.
    ///
    /// ```swift
    /// let config = loadBundledConfig().assertSuccess()  // the bundled file always parses
    /// ```
    ///
    /// - Parameters:
    ///   - fileID: The file of the call site; defaults to the caller's.
    ///   - line: The line of the call site; defaults to the caller's.
    ///   - function: The function of the call site; defaults to the caller's.
    /// - Returns: A future with the same outcome.
    public func assertSuccess(
        fileID: StaticString = #fileID,
        line: UInt = #line,
        function: StaticString = #function
    ) -> Future<Value> {
        let next = Future(site: CallSite(.assertSuccess, fileID, line, function))
        register(
            ClosureCallback { outcome in
                if case .failure(let failure) = outcome {
                    assertionFailure(
                        "Expected the future to succeed, but it failed with \(failure.error).",
                        file: fileID, line: line)
                }
                next.complete(passingThrough: outcome)
            })
        return next
    }

    /// Returns a future with this future's outcome, asserting in debug builds that it fails.
    ///
    /// In a debug build, a success stops the program with an assertion naming the value and this
    /// call site; in an optimised build (`-O`), nothing is checked. Either way the outcome passes
    /// through (a failure gains an `assertFailure` frame). No closure runs. SwiftNIO's
    /// `assertFailure()`.
    ///
    /// ```swift
    /// let rejected = client.send(oversizedRequest).assertFailure()
    /// ```
    ///
    /// - Parameters:
    ///   - fileID: The file of the call site; defaults to the caller's.
    ///   - line: The line of the call site; defaults to the caller's.
    ///   - function: The function of the call site; defaults to the caller's.
    /// - Returns: A future with the same outcome.
    public func assertFailure(
        fileID: StaticString = #fileID,
        line: UInt = #line,
        function: StaticString = #function
    ) -> Future<Value> {
        let next = Future(site: CallSite(.assertFailure, fileID, line, function))
        register(
            ClosureCallback { outcome in
                if case .success(let value) = outcome {
                    assertionFailure(
                        "Expected the future to fail, but it succeeded with \(value).", file: fileID, line: line)
                }
                next.complete(passingThrough: outcome)
            })
        return next
    }
}
