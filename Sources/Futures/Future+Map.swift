// MARK: - Transforming values

extension Future {
    /// Returns a future of `transform` applied to this future's value.
    ///
    /// `transform` runs on `executor` once this future succeeds. A failure skips it and passes
    /// through, gaining a `map` frame in its traceback; an error thrown by `transform` fails the
    /// result with a `map` frame marked as raised. Cancelling the result does not cancel this
    /// future.
    ///
    /// ```swift
    /// let length = fetchName().map { $0.count }
    /// ```
    ///
    /// - Parameters:
    ///   - executor: Where `transform` runs; `.inline` by default.
    ///   - fileID: The file of the call site; defaults to the caller's.
    ///   - line: The line of the call site; defaults to the caller's.
    ///   - function: The function of the call site; defaults to the caller's.
    ///   - transform: Turns the value into a new value, or throws.
    /// - Returns: A future of the transformed value.
    public func map<T: Sendable>(
        on executor: some FutureExecutor = .inline,
        fileID: StaticString = #fileID,
        line: UInt = #line,
        function: StaticString = #function,
        _ transform: @escaping @Sendable (Value) throws -> T
    ) -> Future<T> {
        let next = Future<T>(site: CallSite(.map, fileID, line, function))
        register(MapStage(next: next, transform: transform, executor: executor))
        return next
    }

    /// Returns a future that completes with the future `transform` returns for this future's value.
    ///
    /// `transform` runs on `executor` once this future succeeds; the future it returns is chained
    /// in, at any chain length, without recursion. A failure of this future skips `transform`; a
    /// failure of the returned future keeps its traceback and gains a `flatMap` frame. Cancelling
    /// the result does not cancel this future or the returned one.
    ///
    /// ```swift
    /// let profile = fetchUserID().flatMap { id in fetchProfile(id) }
    /// ```
    ///
    /// - Parameters:
    ///   - executor: Where `transform` runs; `.inline` by default.
    ///   - fileID: The file of the call site; defaults to the caller's.
    ///   - line: The line of the call site; defaults to the caller's.
    ///   - function: The function of the call site; defaults to the caller's.
    ///   - transform: Returns the next future for the value, or throws.
    /// - Returns: A future of the returned future's outcome.
    public func flatMap<T: Sendable>(
        on executor: some FutureExecutor = .inline,
        fileID: StaticString = #fileID,
        line: UInt = #line,
        function: StaticString = #function,
        _ transform: @escaping @Sendable (Value) throws -> Future<T>
    ) -> Future<T> {
        let next = Future<T>(site: CallSite(.flatMap, fileID, line, function))
        register(FlatMapStage(next: next, transform: transform, executor: executor))
        return next
    }

    /// Returns a future of `continuation` applied to this future once it completes, either way.
    ///
    /// `continuation` runs on `executor` with this future, already complete, so it can read the
    /// value, the error or the traceback. An error it throws fails the result with a
    /// `continueWith` frame marked as raised. Cancelling the result does not cancel this future.
    ///
    /// ```swift
    /// let status = request.continueWith { done in
    ///     done.isSucceeded ? "ok" : "failed: \(done.error!)"
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - executor: Where `continuation` runs; `.inline` by default.
    ///   - fileID: The file of the call site; defaults to the caller's.
    ///   - line: The line of the call site; defaults to the caller's.
    ///   - function: The function of the call site; defaults to the caller's.
    ///   - continuation: Receives the completed future and returns a value, or throws.
    /// - Returns: A future of the continuation's value.
    public func continueWith<T: Sendable>(
        on executor: some FutureExecutor = .inline,
        fileID: StaticString = #fileID,
        line: UInt = #line,
        function: StaticString = #function,
        _ continuation: @escaping @Sendable (Future<Value>) throws -> T
    ) -> Future<T> {
        let next = Future<T>(site: CallSite(.continueWith, fileID, line, function))
        register(ContinueWithStage(next: next, continuation: continuation, executor: executor))
        return next
    }

    /// Returns a future that completes with the future `continuation` returns once this future
    /// completes, either way.
    ///
    /// The returned future is chained in (flattened), at any chain length, without recursion; its
    /// failure keeps its traceback and gains a `continueWith` frame. Cancelling the result does not
    /// cancel this future or the returned one.
    ///
    /// ```swift
    /// let retried = first.continueWith { done in
    ///     done.isSucceeded ? done : fetchAgain()
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - executor: Where `continuation` runs; `.inline` by default.
    ///   - fileID: The file of the call site; defaults to the caller's.
    ///   - line: The line of the call site; defaults to the caller's.
    ///   - function: The function of the call site; defaults to the caller's.
    ///   - continuation: Receives the completed future and returns the next future, or throws.
    /// - Returns: A future of the returned future's outcome.
    public func continueWith<T: Sendable>(
        on executor: some FutureExecutor = .inline,
        fileID: StaticString = #fileID,
        line: UInt = #line,
        function: StaticString = #function,
        _ continuation: @escaping @Sendable (Future<Value>) throws -> Future<T>
    ) -> Future<T> {
        let next = Future<T>(site: CallSite(.continueWith, fileID, line, function))
        register(ContinueWithFutureStage(next: next, continuation: continuation, executor: executor))
        return next
    }
}

// MARK: - Handling failures

extension Future {
    /// Returns a future that turns a failure of this one into a value.
    ///
    /// `transform` runs on `executor` with the original error, only if this future fails or is
    /// cancelled; a value passes through untouched. Recovering ends the traceback; an error thrown
    /// by `transform` starts a new one at a `recover` frame.
    ///
    /// ```swift
    /// let settings = loadSettings().recover { _ in .defaults }
    /// ```
    ///
    /// - Parameters:
    ///   - executor: Where `transform` runs; `.inline` by default.
    ///   - fileID: The file of the call site; defaults to the caller's.
    ///   - line: The line of the call site; defaults to the caller's.
    ///   - function: The function of the call site; defaults to the caller's.
    ///   - transform: Turns the error into a value, or throws.
    /// - Returns: A future that succeeds unless `transform` throws.
    public func recover(
        on executor: some FutureExecutor = .inline,
        fileID: StaticString = #fileID,
        line: UInt = #line,
        function: StaticString = #function,
        _ transform: @escaping @Sendable (any Error) throws -> Value
    ) -> Future<Value> {
        let next = Future(site: CallSite(.recover, fileID, line, function))
        register(RecoverStage(next: next, transform: transform, executor: executor))
        return next
    }

    /// Returns a future that turns a failure of this one into the outcome of another future.
    ///
    /// `transform` runs on `executor` with the original error, only on failure; the future it
    /// returns is chained in. A failure of that future keeps its own traceback and gains a
    /// `flatRecover` frame.
    ///
    /// ```swift
    /// let data = primary.fetch().flatRecover { _ in replica.fetch() }
    /// ```
    ///
    /// - Parameters:
    ///   - executor: Where `transform` runs; `.inline` by default.
    ///   - fileID: The file of the call site; defaults to the caller's.
    ///   - line: The line of the call site; defaults to the caller's.
    ///   - function: The function of the call site; defaults to the caller's.
    ///   - transform: Returns the future to use instead, or throws.
    /// - Returns: A future of this future's value or of the replacement's outcome.
    public func flatRecover(
        on executor: some FutureExecutor = .inline,
        fileID: StaticString = #fileID,
        line: UInt = #line,
        function: StaticString = #function,
        _ transform: @escaping @Sendable (any Error) throws -> Future<Value>
    ) -> Future<Value> {
        let next = Future(site: CallSite(.flatRecover, fileID, line, function))
        register(FlatRecoverStage(next: next, transform: transform, executor: executor))
        return next
    }

    /// Returns a future whose failure is `transform` applied to this future's error.
    ///
    /// `transform` runs on `executor`, only on failure. The traceback is kept, with a `mapError`
    /// frame marked as raised, since the error it reports is new.
    ///
    /// ```swift
    /// let typed = request.mapError { APIError.transport($0) }
    /// ```
    ///
    /// - Parameters:
    ///   - executor: Where `transform` runs; `.inline` by default.
    ///   - fileID: The file of the call site; defaults to the caller's.
    ///   - line: The line of the call site; defaults to the caller's.
    ///   - function: The function of the call site; defaults to the caller's.
    ///   - transform: Returns the error to report instead.
    /// - Returns: A future with the same value or the replaced error.
    public func mapError(
        on executor: some FutureExecutor = .inline,
        fileID: StaticString = #fileID,
        line: UInt = #line,
        function: StaticString = #function,
        _ transform: @escaping @Sendable (any Error) -> any Error
    ) -> Future<Value> {
        let next = Future(site: CallSite(.mapError, fileID, line, function))
        register(MapErrorStage(next: next, transform: transform, executor: executor))
        return next
    }

    /// Returns a future with this future's outcome, after running a side effect with it.
    ///
    /// `body` runs on `executor` with the outcome, success or failure; the outcome then passes
    /// through unchanged (a failure gains an `always` frame).
    ///
    /// ```swift
    /// let logged = request.always { print("request finished:", $0) }
    /// ```
    ///
    /// - Parameters:
    ///   - executor: Where `body` runs; `.inline` by default.
    ///   - fileID: The file of the call site; defaults to the caller's.
    ///   - line: The line of the call site; defaults to the caller's.
    ///   - function: The function of the call site; defaults to the caller's.
    ///   - body: The side effect.
    /// - Returns: A future with the same outcome.
    public func always(
        on executor: some FutureExecutor = .inline,
        fileID: StaticString = #fileID,
        line: UInt = #line,
        function: StaticString = #function,
        _ body: @escaping @Sendable (Result<Value, any Error>) -> Void
    ) -> Future<Value> {
        let next = Future(site: CallSite(.always, fileID, line, function))
        register(AlwaysStage(next: next, body: body, executor: executor))
        return next
    }
}

// MARK: - Pairing

extension Future {
    /// Returns a future of both values, once this future and `other` have succeeded.
    ///
    /// If either fails, the result fails; if both fail, with this future's failure, whatever
    /// order the failures happened in, so the answer never depends on timing. The failure gains an
    /// `and` frame naming the input (0 for this future, 1 for `other`). Cancelling the result
    /// cancels neither input.
    ///
    /// ```swift
    /// let both = fetchUser().and(fetchSettings())
    /// ```
    ///
    /// - Parameters:
    ///   - other: The second future.
    ///   - fileID: The file of the call site; defaults to the caller's.
    ///   - line: The line of the call site; defaults to the caller's.
    ///   - function: The function of the call site; defaults to the caller's.
    /// - Returns: A future of the pair.
    public func and<U: Sendable>(
        _ other: Future<U>,
        fileID: StaticString = #fileID,
        line: UInt = #line,
        function: StaticString = #function
    ) -> Future<(Value, U)> {
        let site = CallSite(.and, fileID, line, function)
        let next = Future<(Value, U)>(site: site)
        register(
            ClosureCallback { outcome in
                switch outcome {
                case .failure(let failure):
                    next.complete(.passedThrough(failure, at: site, inputIndex: 0, inputCount: 2))
                case .success(let first):
                    other.register(
                        ClosureCallback { outcome in
                            switch outcome {
                            case .failure(let failure):
                                next.complete(.passedThrough(failure, at: site, inputIndex: 1, inputCount: 2))
                            case .success(let second):
                                next.complete(.success((first, second)))
                            }
                        }
                    )
                }
            }
        )
        return next
    }
}
