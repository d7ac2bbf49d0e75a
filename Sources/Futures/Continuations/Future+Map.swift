// Each stage repeats one shape on purpose: its callback is a capture-free closure literal, so the
// stage's types are known where it is written and the compiler specialises it, and the user's
// closure rides in the entry's closure cell (Core/ClosureCell.swift) instead of in a capture.

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
    /// `continueWith` frame marked as raised; if this future failed, the continuation was handling
    /// that failure, so its frames are kept before that frame (see ``Traceback/handled``).
    /// Cancelling the result does not cancel this future.
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
            Callback(target: next, payload: pack(ContinueCell(continuation))) { outcome, source, entry in
                let next = entry.target(as: Future<T>.self)
                do {
                    next.complete(.success(try unpack(entry.payload, as: ContinueCell<Value, T>.self).body(source)))
                } catch {
                    next.complete(raising: error, after: outcome)
                }
            })
        return next
    }

    /// Returns a future that completes with the future `continuation` returns once this future
    /// completes, either way.
    ///
    /// The returned future is chained in (flattened), at any chain length, without recursion; its
    /// failure keeps its traceback and gains a `continueWith` frame. An error the continuation
    /// throws after this future failed keeps this future's frames and adds a raised
    /// `continueWith` frame (see ``Traceback/handled``). Cancelling the result does not cancel
    /// this future or the returned one.
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
            Callback(target: next, payload: pack(ContinueFutureCell(continuation))) { outcome, source, entry in
                let next = entry.target(as: Future<T>.self)
                do {
                    next.adopt(try unpack(entry.payload, as: ContinueFutureCell<Value, T>.self).body(source))
                } catch {
                    next.complete(raising: error, after: outcome)
                }
            })
        return next
    }
}

// MARK: - Raising in a handler

extension Future {
    /// Fails with `error` raised at this stage by a closure that ran after `antecedent`: a failed
    /// antecedent was being handled, so its frames are kept (see ``Traceback/handled``).
    @inlinable
    func complete<Antecedent>(raising error: any Error, after antecedent: Outcome<Antecedent>) {
        switch antecedent {
        case .success: complete(.raised(error, at: site))
        case .failure(let handled): complete(.raised(error, at: site, handling: handled))
        }
    }
}
