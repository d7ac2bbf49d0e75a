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
                    box.own(register(owned: ClosureCallback { outcome in box.resume(with: outcome.result) }))
                }
            } onCancel: {
                box.resume(with: .failure(CancellationError()))
            }
        }
    }
}

/// The state shared by an awaiting task, the future's callback and the cancellation handler.
///
/// Whichever of the callback and the cancellation handler comes first resumes the continuation,
/// once, outside the lock; a cancellation also removes the callback, so a cancelled await leaves
/// nothing on a future that stays pending.
private final class AsyncWaitBox<Value: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Value, any Error>?
        var finished: Result<Value, any Error>?
        var registration: Registration?
    }

    private let state = Locked(State())

    /// Stores the continuation; resumes it at once and returns `false` if already cancelled.
    func install(_ continuation: CheckedContinuation<Value, any Error>) -> Bool {
        let early: Result<Value, any Error>? = state.withLock { state in
            if let finished = state.finished { return finished }
            state.continuation = continuation
            return nil
        }
        if let early {
            continuation.resume(with: early)
            return false
        }
        return true
    }

    /// Keeps the callback's registration, or cancels it at once if the wait already ended.
    func own(_ registration: Registration) {
        let ended: Bool = state.withLock { state in
            if state.finished != nil { return true }
            state.registration = registration
            return false
        }
        if ended { registration.cancel() }
    }

    /// Resumes the continuation with `result` unless it was resumed already.
    func resume(with result: Result<Value, any Error>) {
        let taken = state.withLock { state -> (CheckedContinuation<Value, any Error>?, Registration?)? in
            guard state.finished == nil else { return nil }
            state.finished = result
            defer { (state.continuation, state.registration) = (nil, nil) }
            return (state.continuation, state.registration)
        }
        guard let (continuation, registration) = taken else { return }
        continuation?.resume(with: result)
        registration?.cancel()
    }
}
