// MARK: - Awaiting

extension Future {
    /// The value, awaited without blocking a thread; throws the future's error.
    ///
    /// Cancelling the awaiting task stops the wait with `CancellationError`; the future itself is
    /// not cancelled, so other observers still get its outcome.
    ///
    /// ```swift
    /// let user = try await fetchUser().value
    /// ```
    public var value: Value {
        get async throws {
            if let outcome = doneOutcome { return try outcome.get() }
            let box = AsyncWaitBox<Value>()
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    guard box.install(continuation) else { return }
                    let token = register(removable: true) { token in
                        ClosureCallback { outcome in box.resume(with: outcome.result) }
                    }
                    box.setRemoval { [weak self] in _ = self?.removeCallback(token: token) }
                }
            } onCancel: {
                box.resume(with: .failure(CancellationError()))
            }
        }
    }
}

/// The state shared by an awaiting task, the future's callback and the cancellation handler.
// All fields are accessed under `lock`; the continuation is resumed exactly once, outside it.
private final class AsyncWaitBox<Value: Sendable>: @unchecked Sendable {
    private let lock = Lock()
    private var continuation: CheckedContinuation<Value, any Error>?
    private var finished: Result<Value, any Error>?
    private var removal: (@Sendable () -> Void)?

    /// Stores the continuation; resumes it at once and returns `false` if already cancelled.
    func install(_ continuation: CheckedContinuation<Value, any Error>) -> Bool {
        let early: Result<Value, any Error>? = lock.withLock {
            if let finished { return finished }
            self.continuation = continuation
            return nil
        }
        if let early {
            continuation.resume(with: early)
            return false
        }
        return true
    }

    func setRemoval(_ removal: @escaping @Sendable () -> Void) {
        let runNow: Bool = lock.withLock {
            if finished != nil { return true }
            self.removal = removal
            return false
        }
        if runNow { removal() }
    }

    func resume(with result: Result<Value, any Error>) {
        let (continuation, removal): (CheckedContinuation<Value, any Error>?, (@Sendable () -> Void)?) = lock.withLock {
            guard finished == nil else { return (nil, nil) }
            finished = result
            defer {
                self.continuation = nil
                self.removal = nil
            }
            return (self.continuation, self.removal)
        }
        continuation?.resume(with: result)
        removal?()
    }
}
