/// Identifies a callback registered with ``Future/onComplete(on:_:)`` and its siblings, so that
/// ``Future/removeCallback(_:)`` can remove it.
///
/// ```swift
/// let token = future.onComplete { print("finished with", $0) }
/// future.removeCallback(token)  // no longer interested
/// ```
public struct CallbackToken: Sendable, Hashable {
    @usableFromInline let future: ObjectIdentifier
    @usableFromInline let id: UInt32

    @inlinable
    init(future: ObjectIdentifier, id: UInt32) {
        self.future = future
        self.id = id
    }
}

/// The executor of a user callback bound to anything but `.inline`.
///
/// If the executor refuses the job (it has shut down), the callback runs on the completing thread
/// instead: running it there is the only way not to lose it, and the documented rule.
// Immutable after initialisation.
@usableFromInline
final class CallbackExecutor: @unchecked Sendable {
    @usableFromInline let executor: any FutureExecutor

    @usableFromInline
    init(_ executor: any FutureExecutor) {
        self.executor = executor
    }

    /// Runs `body` on the executor that `box` holds (the inline executor needs no box), or on this
    /// thread if that executor refuses it.
    @inlinable
    static func run(in box: AnyObject, _ body: @escaping @Sendable () -> Void) {
        let executor = unsafeDowncast(box, to: CallbackExecutor.self).executor
        if !executor.tryExecute(body) { body() }
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
    @inlinable
    public func onComplete(
        on executor: some FutureExecutor = .inline,
        _ callback: @escaping @Sendable (Result<Value, any Error>) -> Void
    ) -> CallbackToken {
        let entry = Callback<Value>(target: callbackExecutor(executor), payload: pack(ResultCell(callback))) {
            outcome, _, entry in
            let callback = unpack(entry.payload, as: ResultCell<Value>.self).body
            guard let box = entry.target else { return callback(outcome.result) }
            CallbackExecutor.run(in: box) { callback(outcome.result) }
        }
        return CallbackToken(future: ObjectIdentifier(self), id: register(entry, removable: true))
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
    @inlinable
    public func onSuccess(
        on executor: some FutureExecutor = .inline,
        _ callback: @escaping @Sendable (Value) -> Void
    ) -> CallbackToken {
        let entry = Callback<Value>(target: callbackExecutor(executor), payload: pack(ValueCell(callback))) {
            outcome, _, entry in
            guard case .success(let value) = outcome else { return }
            let callback = unpack(entry.payload, as: ValueCell<Value>.self).body
            guard let box = entry.target else { return callback(value) }
            CallbackExecutor.run(in: box) { callback(value) }
        }
        return CallbackToken(future: ObjectIdentifier(self), id: register(entry, removable: true))
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
    @inlinable
    public func onFailure(
        on executor: some FutureExecutor = .inline,
        _ callback: @escaping @Sendable (any Error) -> Void
    ) -> CallbackToken {
        let entry = Callback<Value>(target: callbackExecutor(executor), payload: pack(ErrorCell(callback))) {
            outcome, _, entry in
            guard case .failure(let failure) = outcome else { return }
            let callback = unpack(entry.payload, as: ErrorCell.self).body
            guard let box = entry.target else { return callback(failure.error) }
            CallbackExecutor.run(in: box) { callback(failure.error) }
        }
        return CallbackToken(future: ObjectIdentifier(self), id: register(entry, removable: true))
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

    /// `nil` for the inline executor (the callback runs where the future completes), else a box.
    @inlinable
    func callbackExecutor<E: FutureExecutor>(_ executor: E) -> CallbackExecutor? {
        E.self == InlineExecutor.self ? nil : CallbackExecutor(executor)
    }
}
