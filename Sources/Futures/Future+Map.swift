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
    @inlinable
    public func map<T: Sendable>(
        on executor: some FutureExecutor = .inline,
        fileID: StaticString = #fileID,
        line: UInt = #line,
        function: StaticString = #function,
        _ transform: @escaping @Sendable (Value) throws -> T
    ) -> Future<T> {
        let next = Future<T>(site: CallSite(.map, fileID, line, function))
        addStage(
            next, on: executor,
            Callback(target: next, payload: pack(MapCell(transform))) { outcome, _, entry in
                let next = entry.target(as: Future<T>.self)
                switch outcome {
                case .success(let value):
                    do {
                        next.complete(.success(try unpack(entry.payload, as: MapCell<Value, T>.self).body(value)))
                    } catch {
                        next.fail(raising: error)
                    }
                case .failure(let failure):
                    next.complete(.passedThrough(failure, at: next.site))
                }
            })
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
    @inlinable
    public func flatMap<T: Sendable>(
        on executor: some FutureExecutor = .inline,
        fileID: StaticString = #fileID,
        line: UInt = #line,
        function: StaticString = #function,
        _ transform: @escaping @Sendable (Value) throws -> Future<T>
    ) -> Future<T> {
        let next = Future<T>(site: CallSite(.flatMap, fileID, line, function))
        addStage(
            next, on: executor,
            Callback(target: next, payload: pack(FlatMapCell(transform))) { outcome, _, entry in
                let next = entry.target(as: Future<T>.self)
                switch outcome {
                case .success(let value):
                    do {
                        next.adopt(try unpack(entry.payload, as: FlatMapCell<Value, T>.self).body(value))
                    } catch {
                        next.fail(raising: error)
                    }
                case .failure(let failure):
                    next.complete(.passedThrough(failure, at: next.site))
                }
            })
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
    @inlinable
    public func continueWith<T: Sendable>(
        on executor: some FutureExecutor = .inline,
        fileID: StaticString = #fileID,
        line: UInt = #line,
        function: StaticString = #function,
        _ continuation: @escaping @Sendable (Future<Value>) throws -> T
    ) -> Future<T> {
        let next = Future<T>(site: CallSite(.continueWith, fileID, line, function))
        addStage(
            next, on: executor,
            Callback(target: next, payload: pack(ContinueCell(continuation))) { _, source, entry in
                let next = entry.target(as: Future<T>.self)
                do {
                    next.complete(.success(try unpack(entry.payload, as: ContinueCell<Value, T>.self).body(source)))
                } catch {
                    next.fail(raising: error)
                }
            })
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
    @inlinable
    public func continueWith<T: Sendable>(
        on executor: some FutureExecutor = .inline,
        fileID: StaticString = #fileID,
        line: UInt = #line,
        function: StaticString = #function,
        _ continuation: @escaping @Sendable (Future<Value>) throws -> Future<T>
    ) -> Future<T> {
        let next = Future<T>(site: CallSite(.continueWith, fileID, line, function))
        addStage(
            next, on: executor,
            Callback(target: next, payload: pack(ContinueFutureCell(continuation))) { _, source, entry in
                let next = entry.target(as: Future<T>.self)
                do {
                    next.adopt(try unpack(entry.payload, as: ContinueFutureCell<Value, T>.self).body(source))
                } catch {
                    next.fail(raising: error)
                }
            })
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
                        next.fail(raising: error)
                    }
                }
            })
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
                        next.fail(raising: error)
                    }
                }
            })
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
                    next.complete(
                        .failure(TracebackNode(error: error, site: next.site, role: .raised, parent: failure)))
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

// MARK: - Stages

extension Future {
    /// Registers a stage: directly when it runs inline, behind a hop to `executor` otherwise.
    @inlinable
    func addStage<T: Sendable, E: FutureExecutor>(_ next: Future<T>, on executor: E, _ entry: Callback<Value>) {
        if E.self == InlineExecutor.self {
            register(entry)
        } else {
            register(StageHop(entry, on: executor, failing: next).entry)
        }
    }
}

/// A stage bound to an executor other than `.inline`: its entry runs as a job on that executor.
///
/// If the executor refuses the job (it has shut down), the stage's future fails with
/// ``FutureError/Code/executorShutdown`` instead of hanging.
// Immutable after initialisation.
@usableFromInline
final class StageHop<Value: Sendable>: @unchecked Sendable {
    let stage: Callback<Value>
    let executor: any FutureExecutor
    let reject: @Sendable () -> Void

    @usableFromInline
    init<T>(_ stage: Callback<Value>, on executor: some FutureExecutor, failing next: Future<T>) {
        self.stage = stage
        self.executor = executor
        self.reject = {
            next.fail(
                raising: FutureError(code: .executorShutdown, message: "the executor of this stage has shut down"))
        }
    }

    @usableFromInline
    var entry: Callback<Value> {
        Callback(target: self) { outcome, source, entry in
            entry.target(as: StageHop.self).run(outcome, from: source)
        }
    }

    @usableFromInline
    func run(_ outcome: Outcome<Value>, from source: Future<Value>) {
        let stage = self.stage
        if !executor.tryExecute({ stage.run(outcome, from: source) }) {
            reject()
        }
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
