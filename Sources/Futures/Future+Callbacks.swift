/// Identifies a callback registered with ``Future/onComplete(on:_:)`` and its siblings, so that
/// ``Future/removeCallback(_:)`` can remove it.
public struct CallbackToken: Sendable, Hashable {
    let future: ObjectIdentifier
    let id: UInt32
}

/// A user callback: a closure and the executor it runs on.
private struct UserCallback<Value: Sendable, E: FutureExecutor>: FutureCallback {
    enum Body {
        case result(@Sendable (Result<Value, any Error>) -> Void)
        case success(@Sendable (Value) -> Void)
        case failure(@Sendable (any Error) -> Void)
    }

    let token: UInt32
    let body: Body
    let executor: E

    func run(_ outcome: Outcome<Value>, from source: Future<Value>) {
        if E.self == InlineExecutor.self {
            invoke(outcome)
        } else {
            let accepted = executor.tryExecute { invoke(outcome) }
            // A shut-down executor cannot run the callback; running it here is the only way not to
            // lose it, and the documented rule for callbacks bound to such an executor.
            if !accepted { invoke(outcome) }
        }
    }

    @inline(__always)
    func invoke(_ outcome: Outcome<Value>) {
        switch (body, outcome) {
        case (.result(let body), _): body(outcome.result)
        case (.success(let body), .success(let value)): body(value)
        case (.failure(let body), .failure(let failure)): body(failure.error)
        case (.success, .failure), (.failure, .success): break
        }
    }
}

extension Future {
    /// Registers a callback that runs once with the outcome, success or failure.
    ///
    /// Callbacks run exactly once, in registration order; registered after completion, the
    /// callback goes to its executor at once. On `.inline` it runs on the completing thread, or
    /// right after the current callback if that thread is already running callbacks.
    ///
    /// ```swift
    /// future.onComplete { result in
    ///     print("finished with", result)
    /// }
    /// ```
    ///
    /// If `executor` has shut down and refuses the job, the callback runs on the completing thread
    /// instead, so that no callback is ever lost.
    ///
    /// - Parameters:
    ///   - executor: Where the callback runs; `.inline` by default.
    ///   - callback: Receives the outcome.
    /// - Returns: A token for ``removeCallback(_:)``.
    @discardableResult
    public func onComplete(
        on executor: some FutureExecutor = .inline,
        _ callback: @escaping @Sendable (Result<Value, any Error>) -> Void
    ) -> CallbackToken {
        addUserCallback(.result(callback), executor)
    }

    /// Registers a callback that runs once with the value, if the future succeeds.
    ///
    /// Ordering and executor rules are those of ``onComplete(on:_:)``.
    ///
    /// ```swift
    /// future.onSuccess { value in print("got", value) }
    /// ```
    ///
    /// - Parameters:
    ///   - executor: Where the callback runs; `.inline` by default.
    ///   - callback: Receives the value.
    /// - Returns: A token for ``removeCallback(_:)``.
    @discardableResult
    public func onSuccess(
        on executor: some FutureExecutor = .inline,
        _ callback: @escaping @Sendable (Value) -> Void
    ) -> CallbackToken {
        addUserCallback(.success(callback), executor)
    }

    /// Registers a callback that runs once with the error, if the future fails or is cancelled.
    ///
    /// Ordering and executor rules are those of ``onComplete(on:_:)``.
    ///
    /// ```swift
    /// future.onFailure { error in log(error) }
    /// ```
    ///
    /// - Parameters:
    ///   - executor: Where the callback runs; `.inline` by default.
    ///   - callback: Receives the error.
    /// - Returns: A token for ``removeCallback(_:)``.
    @discardableResult
    public func onFailure(
        on executor: some FutureExecutor = .inline,
        _ callback: @escaping @Sendable (any Error) -> Void
    ) -> CallbackToken {
        addUserCallback(.failure(callback), executor)
    }

    /// Removes a callback so that it never runs.
    ///
    /// ```swift
    /// let token = future.onSuccess { print($0) }
    /// if future.removeCallback(token) { print("it will never run") }
    /// ```
    ///
    /// - Parameter token: The token that registering the callback returned.
    /// - Returns: `true` only if the callback will now never run; `false` if it was already handed
    ///   to its executor, was removed before, or belongs to another future.
    @discardableResult
    public func removeCallback(_ token: CallbackToken) -> Bool {
        guard token.future == ObjectIdentifier(self) else { return false }
        return removeCallback(token: token.id)
    }

    private func addUserCallback<E: FutureExecutor>(
        _ body: UserCallback<Value, E>.Body,
        _ executor: E
    ) -> CallbackToken {
        let id = register(removable: true) { UserCallback(token: $0, body: body, executor: executor) }
        return CallbackToken(future: ObjectIdentifier(self), id: id)
    }
}
