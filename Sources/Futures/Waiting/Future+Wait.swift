// MARK: - Blocking

extension Future {
    /// Blocks until the future completes, then returns its value or throws its error.
    ///
    /// The original error is rethrown, so `catch let error as MyError` works. Called on a thread
    /// that the future needs in order to complete (from an `.inline` callback whose work is queued
    /// further down the same drain, from a pool's only thread, from the thread driving a test
    /// executor) it runs the pending work itself, or throws ``FutureError/Code/wouldDeadlock`` at
    /// once rather than hang.
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
    @inlinable
    public func get(timeout: Duration? = nil) throws -> Value {
        if let outcome = doneOutcome { return try outcome.get() }
        return try waitAndGet(timeout: timeout)
    }

    @usableFromInline
    func waitAndGet(timeout: Duration?) throws -> Value {
        switch blockingWait(timeout: timeout) {
        case .satisfied, .notHandled:
            guard let outcome = doneOutcome else {
                preconditionFailure("Internal inconsistency: a satisfied wait left the future pending.")
            }
            return try outcome.get()
        case .timedOut:
            throw FutureError(code: .timedOut, message: "the future did not complete within \(timeout ?? .zero)")
        case .wouldDeadlock:
            throw FutureError(code: .wouldDeadlock)
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
    @discardableResult
    public func wait(timeout: Duration? = nil) -> Bool {
        if isDone { return true }
        switch blockingWait(timeout: timeout) {
        case .satisfied, .notHandled: return true
        case .timedOut, .wouldDeadlock: return isDone
        }
    }

    func blockingWait(timeout: Duration?) -> BlockingWaitOutcome {
        if let timeout, timeout <= .zero { return isDone ? .satisfied : .timedOut }
        let deadline = timeout.map { ContinuousClock.now + $0 }
        return blockingWait(deadline: deadline)
    }

    /// Waits until done or `deadline`, running this thread's queued work first.
    func blockingWait(deadline: ContinuousClock.Instant?) -> BlockingWaitOutcome {
        // `Future.async` work running further down this thread's stack finishes only after we return.
        if RunningWork.isRunningOnCurrentThread(self) { return .wouldDeadlock }
        Trampoline.runQueuedWork(until: { isDone })
        if isDone { return .satisfied }
        for helper in BlockingWaitHelpers.current.reversed() {
            let outcome = helper.blockingWait(
                isDone: { self.isDone },
                registerWakeUp: { wake in self.register(ClosureCallback { _ in wake() }) },
                deadline: deadline
            )
            if outcome != .notHandled { return outcome }
        }
        let waiter = Waiter()
        register(ClosureCallback { _ in waiter.signal() })
        return waiter.wait(until: deadline) ? .satisfied : (isDone ? .satisfied : .timedOut)
    }
}
