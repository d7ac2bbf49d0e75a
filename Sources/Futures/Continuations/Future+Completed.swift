// MARK: - Futures from results

extension Future {
    /// Returns a future that has already completed with `result`.
    ///
    /// A failure is raised at the call site: its traceback starts with a `Future.completed` frame.
    /// SwiftNIO's `makeCompletedFuture(_:)`.
    ///
    /// ```swift
    /// let parsed = Future.completed(Result { try JSONDecoder().decode(Config.self, from: data) })
    /// ```
    ///
    /// - Parameters:
    ///   - result: The value or error.
    ///   - fileID: The file of the call site; defaults to the caller's.
    ///   - line: The line of the call site; defaults to the caller's.
    ///   - function: The function of the call site; defaults to the caller's.
    /// - Returns: A completed future.
    public static func completed(
        _ result: Result<Value, any Error>,
        fileID: StaticString = #fileID,
        line: UInt = #line,
        function: StaticString = #function
    ) -> Future {
        let site = CallSite(.completed, fileID, line, function)
        switch result {
        case .success(let value): return Future(site: site, outcome: .success(value))
        case .failure(let error): return Future(site: site, outcome: .raised(error, at: site))
        }
    }

    /// Creates a future that has already completed with `result`.
    ///
    /// The same as ``completed(_:fileID:line:function:)``.
    ///
    /// ```swift
    /// let cached = Future(Result<Int, any Error>.success(42))
    /// ```
    ///
    /// - Parameters:
    ///   - result: The value or error.
    ///   - fileID: The file of the call site; defaults to the caller's.
    ///   - line: The line of the call site; defaults to the caller's.
    ///   - function: The function of the call site; defaults to the caller's.
    public convenience init(
        _ result: Result<Value, any Error>,
        fileID: StaticString = #fileID,
        line: UInt = #line,
        function: StaticString = #function
    ) {
        let site = CallSite(.completed, fileID, line, function)
        switch result {
        case .success(let value): self.init(site: site, outcome: .success(value))
        case .failure(let error): self.init(site: site, outcome: .raised(error, at: site))
        }
    }
}

// MARK: - Promises without a value

extension Promise where Value == Void {
    /// Completes a `Promise<Void>`.
    ///
    /// ```swift
    /// let flushed = Promise<Void>()
    /// flushed.succeed()
    /// ```
    ///
    /// - Returns: `true` if this call completed the future; `false` if it was already complete.
    @discardableResult
    public func succeed() -> Bool {
        succeed(())
    }
}
