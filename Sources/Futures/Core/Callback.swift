/// Something to run when a future completes: a stage, a forwarder or a user callback.
///
/// An entry is a function, an object and two words of payload. Stages build it in inlinable code
/// from a closure literal that captures nothing, so the function is compiled for the caller's
/// concrete types and costs no allocation: `target` is the stage's own future and `payload` the
/// user's closure, packed with ``pack(_:)`` and unpacked inside `invoke`.
// `target` and `payload` are immutable and only ever hold Sendable values (futures, boxes whose
// fields are immutable or lock-protected, and `@Sendable` closures).
@usableFromInline
struct Callback<Value: Sendable>: @unchecked Sendable {
    @usableFromInline
    typealias Invoke = @Sendable (Outcome<Value>, Future<Value>, Callback<Value>) -> Void

    @usableFromInline let invoke: Invoke
    @usableFromInline let target: AnyObject?
    @usableFromInline let payload: RawClosure
    /// What ``Future/removeCallback(_:)`` matches: 0 for internal callbacks, ``overflowToken`` for
    /// the entry of an overflow box, otherwise assigned when a removable callback is registered.
    @usableFromInline var token: UInt32 = 0

    /// The token of the entry that holds an ``OverflowCallbacks`` box.
    @usableFromInline static var overflowToken: UInt32 { .max }

    @inlinable
    init(target: AnyObject?, invoke: @escaping Invoke) {
        self.invoke = invoke
        self.target = target
        self.payload = RawClosure()
    }

    /// Creates an entry whose payload is a closure packed with ``pack(_:)``.
    @inlinable
    init(target: AnyObject?, payload: RawClosure, invoke: @escaping Invoke) {
        self.invoke = invoke
        self.target = target
        self.payload = payload
    }

    /// The target, which the entry's maker knows to be a `T`.
    @inlinable
    func target<T: AnyObject>(as type: T.Type) -> T {
        unsafeDowncast(target.unsafelyUnwrapped, to: type)
    }

    @inlinable
    func run(_ outcome: Outcome<Value>, from source: Future<Value>) {
        invoke(outcome, source, self)
    }
}

/// The callbacks of a pending future, in registration order.
///
/// One entry is stored inline; a second turns the slot into an entry for an overflow box that
/// holds them all, so that the common single-callback case costs no allocation.
@usableFromInline
struct CallbackList<Value: Sendable>: Sendable {
    @usableFromInline var slot: Callback<Value>?

    @inlinable
    init() {}

    @inlinable
    init(slot: Callback<Value>?) {
        self.slot = slot
    }

    @inlinable
    var isEmpty: Bool { slot == nil }

    @inlinable
    mutating func append(_ callback: Callback<Value>) {
        if slot == nil {
            slot = callback
            return
        }
        // Read the slot's token and box in place: copying the entry out would retain its three
        // references only to release them again.
        if slot.unsafelyUnwrapped.token == Callback<Value>.overflowToken {
            unsafeDowncast(slot.unsafelyUnwrapped.target.unsafelyUnwrapped, to: OverflowCallbacks<Value>.self)
                .entries.append(callback)
        } else {
            let first = slot.take().unsafelyUnwrapped
            let overflow = OverflowCallbacks<Value>([first, callback])
            var entry = Callback<Value>(target: overflow) { outcome, source, entry in
                entry.target(as: OverflowCallbacks<Value>.self).entries.withUnsafeBufferPointer { callbacks in
                    for index in callbacks.indices {
                        callbacks[index].run(outcome, from: source)
                    }
                }
            }
            entry.token = Callback<Value>.overflowToken
            slot = entry
        }
    }

    /// Removes the callback with `token` and returns it, for the caller to release after unlocking.
    mutating func remove(token: UInt32) -> Callback<Value>? {
        guard let first = slot else { return nil }
        if first.token == Callback<Value>.overflowToken {
            let overflow = first.target(as: OverflowCallbacks<Value>.self)
            guard let index = overflow.entries.firstIndex(where: { $0.token == token }) else {
                return nil
            }
            let removed = overflow.entries.remove(at: index)
            if overflow.entries.isEmpty { slot = nil }
            return removed
        }
        guard first.token == token else { return nil }
        slot = nil
        return first
    }

    /// How many callbacks are registered.
    var count: Int {
        guard let first = slot else { return 0 }
        if first.token == Callback<Value>.overflowToken {
            return first.target(as: OverflowCallbacks<Value>.self).entries.count
        }
        return 1
    }
}

/// Two or more callbacks, run in registration order.
// Mutated only by the thread that owns its future's storage (the BUSY bit of the state word) while
// the future is pending; once the future is done the box is only read.
@usableFromInline
final class OverflowCallbacks<Value: Sendable>: @unchecked Sendable {
    // Access is exclusive by the rule above, so the runtime's dynamic checks are redundant.
    @usableFromInline @exclusivity(unchecked) var entries: [Callback<Value>]

    @inlinable
    init(_ entries: [Callback<Value>]) {
        self.entries = entries
    }
}

// MARK: - Callback protocol

/// A callback written as a small struct: combinators, timers and waiters use it.
///
/// Registering one boxes it (one allocation); the hot stages build ``Callback`` entries directly.
protocol FutureCallback<Input>: Sendable {
    associatedtype Input: Sendable

    /// Called once, on the thread that completed `source`, with its outcome.
    func run(_ outcome: Outcome<Input>, from source: Future<Input>)
}

/// The box that holds a ``FutureCallback`` in a ``Callback`` entry.
// Immutable after initialisation.
final class FutureCallbackBox<Wrapped: FutureCallback>: @unchecked Sendable {
    let callback: Wrapped

    init(_ callback: Wrapped) {
        self.callback = callback
    }

    static func entry(_ callback: Wrapped) -> Callback<Wrapped.Input> {
        Callback<Wrapped.Input>(target: FutureCallbackBox(callback)) { outcome, source, entry in
            entry.target(as: FutureCallbackBox.self).callback.run(outcome, from: source)
        }
    }
}

/// A closure run when the future completes; internal waiters and combinators use it.
struct ClosureCallback<Value: Sendable>: FutureCallback {
    let body: @Sendable (Outcome<Value>) -> Void

    init(_ body: @escaping @Sendable (Outcome<Value>) -> Void) {
        self.body = body
    }

    func run(_ outcome: Outcome<Value>, from source: Future<Value>) {
        body(outcome)
    }

    var entry: Callback<Value> {
        Callback(target: nil, payload: pack(OutcomeCell(body))) { outcome, _, entry in
            unpack(entry.payload, as: OutcomeCell<Value>.self).body(outcome)
        }
    }
}

// MARK: - Owned registrations

/// What a ``Registration`` needs of its future: removing a callback by token.
protocol CallbackRemoving: AnyObject, Sendable {
    func removeCallback(token: UInt32) -> Bool
}

extension Future: CallbackRemoving {}

/// A callback registered by a consumer that may stop caring before the future completes.
///
/// Timed-out waits, cancelled awaits, decided races and combines, and released completion queues
/// hold one per input and cancel it when they give up, so that nothing they registered stays on a
/// future that may never complete.
struct Registration: Sendable {
    let future: any CallbackRemoving
    let token: UInt32

    /// Removes the callback; `true` if it will now never run, `false` if it ran or is running.
    @discardableResult
    func cancel() -> Bool {
        future.removeCallback(token: token)
    }
}

/// The registrations a consumer made on its inputs, cancelled together once it stops caring.
///
/// A registration kept after ``cancelAll()`` is cancelled at once, so a consumer decided while it
/// was still registering leaves nothing behind either.
final class Registrations: Sendable {
    private struct State {
        var isCancelled = false
        var kept: [Registration] = []
    }

    private let state = Locked(State())

    /// Keeps `registration` until ``cancelAll()``, or cancels it now if that already happened.
    func keep(_ registration: Registration) {
        let cancelNow = state.withLock { state in
            if state.isCancelled { return true }
            state.kept.append(registration)
            return false
        }
        if cancelNow { registration.cancel() }
    }

    /// Cancels every registration kept so far, and any kept later.
    func cancelAll() {
        var kept: [Registration] = []
        state.withLock { state in
            state.isCancelled = true
            swap(&kept, &state.kept)
        }
        for registration in kept {
            registration.cancel()
        }
    }
}
