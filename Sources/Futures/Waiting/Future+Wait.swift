// MARK: - Blocking

extension Future {
    /// Blocks until the future completes, then returns its value or throws its error.
    ///
    /// The original error is rethrown, so `catch let error as MyError` works. Called on a thread
    /// that the future needs in order to complete, in these cases it runs the pending work itself
    /// or throws ``FutureError/Code/wouldDeadlock`` at once rather than sit out its timeout: in an
    /// `.inline` callback whose later sibling callbacks or queued work complete the future, in a
    /// ``ThreadPoolExecutor`` job (even on a one-thread pool), inside a test executor's job, on a
    /// stage of a test executor that no thread runs, and in `Future.async` work waiting for itself.
    /// It cannot help a job on a serial `DispatchQueue` waiting for work queued behind it on that
    /// queue, nor the main thread waiting for a `DispatchQueue.main` stage: those wait until the
    /// timeout, so chain with `flatMap` or `onComplete` there instead. A wait that ends without the
    /// future completing removes the callback it registered.
    ///
    /// ```swift
    /// let user = try fetchUser().get(timeout: .seconds(2))
    /// ```
    ///
    /// - Parameter timeout: How long to wait at most; `nil` waits as long as it takes. Zero or
    ///   negative returns at once.
    /// - Returns: The value.
    /// - Throws: The future's error; ``FutureError/Code/timedOut`` if the timeout passes first;
    ///   ``FutureError/Code/wouldDeadlock`` if waiting could never end.
    @available(
        *, noasync, message: "Use 'try await future.value' in async code, or 'TestExecutor.run(until:)' in tests."
    )
    @inlinable
    public func get(timeout: Duration? = nil) throws -> Value {
        if let outcome = doneOutcome { return try outcome.get() }
        return try waitAndGet(timeout: timeout)
    }

    @usableFromInline
    func waitAndGet(timeout: Duration?) throws -> Value {
        let (outcome, reason) = blockingWaitExplained(timeout: timeout)
        switch outcome {
        case .satisfied, .notHandled:
            guard let outcome = doneOutcome else {
                preconditionFailure("Internal inconsistency: a satisfied wait left the future pending.")
            }
            return try outcome.get()
        case .timedOut:
            throw FutureError.timedOut(after: timeout ?? .zero)
        case .wouldDeadlock:
            throw FutureError(code: .wouldDeadlock, message: reason ?? "waiting here could never end")
        }
    }

    /// Blocks until the future completes or the timeout passes; never throws.
    ///
    /// Deadlock rules are those of ``get(timeout:)``: a wait that could never end returns `false`
    /// at once.
    ///
    /// ```swift
    /// if future.wait(timeout: .milliseconds(100)) { print(future.result!) }
    /// ```
    ///
    /// - Parameter timeout: How long to wait at most; `nil` waits as long as it takes.
    /// - Returns: Whether the future is done.
    @available(*, noasync, message: "Use 'await future.value' in async code, or 'TestExecutor.run(until:)' in tests.")
    @discardableResult
    public func wait(timeout: Duration? = nil) -> Bool {
        if isDone { return true }
        switch blockingWait(timeout: timeout) {
        case .satisfied, .notHandled: return true
        case .timedOut, .wouldDeadlock: return isDone
        }
    }

    func blockingWait(timeout: Duration?) -> BlockingWaitOutcome {
        blockingWaitExplained(timeout: timeout).outcome
    }

    func blockingWaitExplained(timeout: Duration?) -> (outcome: BlockingWaitOutcome, reason: String?) {
        if let timeout, timeout <= .zero { return (isDone ? .satisfied : .timedOut, nil) }
        let deadline = timeout.map { ContinuousClock.now + $0 }
        return blockingWaitExplained(deadline: deadline)
    }

    /// Waits until done or `deadline`, running this thread's queued work first.
    func blockingWait(deadline: ContinuousClock.Instant?) -> BlockingWaitOutcome {
        blockingWaitExplained(deadline: deadline).outcome
    }

    /// Waits until done or `deadline`, running this thread's queued work first; on
    /// ``BlockingWaitOutcome/wouldDeadlock``, also says why.
    ///
    /// Every callback the wait registers is removed again when it ends unsatisfied, so a wait that
    /// times out or gives up leaves nothing behind on the future.
    func blockingWaitExplained(
        deadline: ContinuousClock.Instant?
    ) -> (outcome: BlockingWaitOutcome, reason: String?) {
        // `Future.async` work running further down this thread's stack finishes only after we return.
        if RunningWork.isRunningOnCurrentThread(self) {
            return (
                .wouldDeadlock, "the Future.async work that completes this future is waiting for it on its own thread"
            )
        }
        // Callbacks of the completion this thread is delivering, and work queued behind them.
        Trampoline.runQueuedWork(until: { isDone })
        if isDone { return (.satisfied, nil) }
        let helpers = BlockingWaitHelpers.current
        // A stage of a test executor that no thread runs.
        if let reason = QueuedOnTestExecutor.undrivenWait(on: self, helpers: helpers) {
            return (.wouldDeadlock, reason)
        }
        var tokens: [UInt32] = []
        defer {
            for token in tokens { _ = removeCallback(token: token) }
        }
        for helper in helpers.reversed() {
            let outcome = helper.blockingWait(
                isDone: { self.isDone },
                registerWakeUp: { wake in
                    tokens.append(self.register(removable: true) { WakeUpCallback(token: $0, wake: wake) })
                },
                deadline: deadline
            )
            switch outcome {
            case .notHandled: continue
            case .wouldDeadlock: return (.wouldDeadlock, helper.deadlockExplanation)
            case .satisfied, .timedOut: return (outcome, nil)
            }
        }
        let waiter = Waiter()
        tokens.append(register(removable: true) { WakeUpCallback(token: $0) { waiter.signal() } })
        return (waiter.wait(until: deadline) || isDone ? .satisfied : .timedOut, nil)
    }
}

/// The callback a blocked wait registers: wakes the waiting thread; removable by its token.
struct WakeUpCallback<Input: Sendable>: FutureCallback {
    let token: UInt32
    let wake: @Sendable () -> Void

    func run(_ outcome: Outcome<Input>, from source: Future<Input>) {
        wake()
    }
}

// MARK: - Wake-ups for test support

extension Future {
    /// Registers `wake` to run once when the future completes; returns the token that removes it.
    package func registerWakeUp(_ wake: @escaping @Sendable () -> Void) -> UInt32 {
        register(removable: true) { WakeUpCallback(token: $0, wake: wake) }
    }

    /// Removes a wake-up registered with ``registerWakeUp(_:)`` if it has not run.
    package func removeWakeUp(_ token: UInt32) {
        _ = removeCallback(token: token)
    }
}
