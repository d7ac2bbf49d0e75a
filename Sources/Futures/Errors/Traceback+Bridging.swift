// MARK: - Bridging from other futures libraries

extension Future {
    /// Creates a pending future that another futures library completes, with a `"bridge"` frame.
    ///
    /// This is the hook for packages that bridge a foreign future type (such as SwiftNIO's
    /// `EventLoopFuture`, in the `FuturesNIO` package) into this library. It calls `subscribe` once,
    /// at once, with the function that completes the new future; hand that function to the foreign
    /// future's completion callback. The first completion wins; later calls change nothing.
    ///
    /// ```swift
    /// extension Future {
    ///     convenience init(_ legacy: LegacyFuture<Value>, fileID: StaticString = #fileID, line: UInt = #line) {
    ///         self.init(fileID: fileID, line: line, function: #function, bridging: { complete in
    ///             legacy.whenDone { complete($0) }
    ///         })
    ///     }
    /// }
    /// ```
    ///
    /// A failure delivered through the completion function starts a new traceback: its first frame
    /// has the operation `"bridge"`, the role ``Traceback/Frame/Role/raised`` and the call site given
    /// here, because the foreign library carries no traceback of its own. The error itself passes
    /// through unchanged.
    ///
    /// ``cancel(fileID:line:function:)`` completes the new future with `CancellationError` at once;
    /// the foreign future is not told (most have no cancellation), and its outcome is then ignored.
    /// If the completion function is released without being called, and with it the last reference
    /// to the future, the future's own callbacks fail with ``FutureError/Code/abandoned``.
    ///
    /// - Parameters:
    ///   - fileID: The file of the bridge's call site; defaults to the caller's.
    ///   - line: The line of the bridge's call site; defaults to the caller's.
    ///   - function: The function of the bridge's call site; defaults to the caller's.
    ///   - subscribe: Called once, before the initializer returns, with the completion function.
    public convenience init(
        fileID: StaticString = #fileID,
        line: UInt = #line,
        function: StaticString = #function,
        bridging subscribe: (_ complete: @escaping @Sendable (Result<Value, any Error>) -> Void) -> Void
    ) {
        self.init(site: CallSite(.bridge, fileID, line, function))
        subscribe { [self] result in
            switch result {
            case .success(let value): complete(.success(value))
            case .failure(let error): fail(raising: error)
            }
        }
    }
}
