// Each stage repeats one shape on purpose: its callback is a capture-free closure literal, so the
// stage's types are known where it is written and the compiler specialises it, and the user's
// closure rides in the entry's closure cell (Core/ClosureCell.swift) instead of in a capture.

// MARK: - Handling failures

extension Future {
    /// Returns a future that turns a failure of this one into a value.
    ///
    /// `transform` runs on `executor` with the original error, only if this future fails or is
    /// cancelled; a value passes through untouched. Recovering ends the traceback. An error thrown
    /// by `transform` keeps the frames of the failure it handled and adds a `recover` frame marked
    /// as raised; the handled failure stays readable as ``Traceback/handled``, and the printed
    /// traceback marks the boundary ("During handling of the above error, another error
    /// occurred:") when the thrown error is a different one. Cancelling the result does not cancel
    /// this future.
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
    @inlinable
    public func recover(
        on executor: some FutureExecutor = .inline,
        fileID: StaticString = #fileID,
        line: UInt = #line,
        function: StaticString = #function,
        _ transform: @escaping @Sendable (any Error) throws -> Value
    ) -> Future<Value> {
        let next = Future(site: CallSite(.recover, fileID, line, function))
        addStage(
            next, on: executor,
            Callback(target: next, payload: pack(RecoverCell(transform))) { outcome, _, entry in
                let next = entry.target(as: Future<Value>.self)
                switch outcome {
                case .success:
                    next.complete(outcome)
                case .failure(let failure):
                    do {
                        next.complete(
                            .success(try unpack(entry.payload, as: RecoverCell<Value>.self).body(failure.error)))
                    } catch {
                        next.complete(.raised(error, at: next.site, handling: failure))
                    }
                }
            })
        return next
    }

    /// Returns a future that turns a failure of this one into the outcome of another future.
    ///
    /// `transform` runs on `executor` with the original error, only on failure; the future it
    /// returns is chained in. A failure of that future keeps its own traceback and gains a
    /// `flatRecover` frame. An error thrown by `transform` keeps the frames of the failure it
    /// handled and adds a `flatRecover` frame marked as raised (see ``Traceback/handled``).
    /// Cancelling the result does not cancel this future or the returned one.
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
    @inlinable
    public func flatRecover(
        on executor: some FutureExecutor = .inline,
        fileID: StaticString = #fileID,
        line: UInt = #line,
        function: StaticString = #function,
        _ transform: @escaping @Sendable (any Error) throws -> Future<Value>
    ) -> Future<Value> {
        let next = Future(site: CallSite(.flatRecover, fileID, line, function))
        addStage(
            next, on: executor,
            Callback(target: next, payload: pack(FlatRecoverCell(transform))) { outcome, _, entry in
                let next = entry.target(as: Future<Value>.self)
                switch outcome {
                case .success:
                    next.complete(outcome)
                case .failure(let failure):
                    do {
                        next.adopt(try unpack(entry.payload, as: FlatRecoverCell<Value>.self).body(failure.error))
                    } catch {
                        next.complete(.raised(error, at: next.site, handling: failure))
                    }
                }
            })
        return next
    }

    /// Returns a future whose failure is `transform` applied to this future's error.
    ///
    /// `transform` runs on `executor`, only on failure. The traceback is kept, with a `mapError`
    /// frame marked as raised, since the error it reports is new; the replaced failure stays
    /// readable as ``Traceback/handled``, and the printed traceback marks the boundary when the
    /// returned error is a different one. Cancelling the result does not cancel this future.
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
    @inlinable
    public func mapError(
        on executor: some FutureExecutor = .inline,
        fileID: StaticString = #fileID,
        line: UInt = #line,
        function: StaticString = #function,
        _ transform: @escaping @Sendable (any Error) -> any Error
    ) -> Future<Value> {
        let next = Future(site: CallSite(.mapError, fileID, line, function))
        addStage(
            next, on: executor,
            Callback(target: next, payload: pack(MapErrorCell(transform))) { outcome, _, entry in
                let next = entry.target(as: Future<Value>.self)
                switch outcome {
                case .success:
                    next.complete(outcome)
                case .failure(let failure):
                    let error = unpack(entry.payload, as: MapErrorCell.self).body(failure.error)
                    next.complete(.raised(error, at: next.site, handling: failure))
                }
            })
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
    @inlinable
    public func always(
        on executor: some FutureExecutor = .inline,
        fileID: StaticString = #fileID,
        line: UInt = #line,
        function: StaticString = #function,
        _ body: @escaping @Sendable (Result<Value, any Error>) -> Void
    ) -> Future<Value> {
        let next = Future(site: CallSite(.always, fileID, line, function))
        addStage(
            next, on: executor,
            Callback(target: next, payload: pack(ResultCell(body))) { outcome, _, entry in
                unpack(entry.payload, as: ResultCell<Value>.self).body(outcome.result)
                entry.target(as: Future<Value>.self).complete(passingThrough: outcome)
            })
        return next
    }
}
