/// The outcome of a completed future: a value, or an error with its traceback.
@usableFromInline
enum Outcome<Value: Sendable>: Sendable {
    case success(Value)
    case failure(TracebackNode)

    @inlinable
    var result: Result<Value, any Error> {
        switch self {
        case .success(let value): .success(value)
        case .failure(let failure): .failure(failure.error)
        }
    }

    @inlinable
    func get() throws -> Value {
        switch self {
        case .success(let value): return value
        case .failure(let failure): throw failure.error
        }
    }

    /// A failure raised at `site`: the first frame of a new traceback.
    @inlinable
    static func raised(_ error: any Error, at site: CallSite) -> Outcome {
        .failure(TracebackNode(error: error, site: site, role: .raised, parent: nil))
    }

    /// The same failure, one stage further: `site` is appended as a passed-through frame.
    @inlinable
    static func passedThrough(
        _ failure: TracebackNode,
        at site: CallSite,
        inputIndex: Int? = nil,
        inputCount: Int? = nil
    ) -> Outcome {
        .failure(
            TracebackNode(
                error: failure.error,
                site: site,
                role: .passedThrough,
                inputIndex: inputIndex,
                inputCount: inputCount,
                parent: failure
            )
        )
    }
}

// MARK: - Callback entries

/// The two words of a closure (its function pointer and its context), held without their type.
///
/// A stage stores its user closure here, inside its callback entry, so that registering a stage
/// allocates nothing but the stage's future. ``pack(_:)`` and ``unpack(_:as:)`` copy the closure in
/// and out inside a cell struct whose field is spelled as a function type: a closure passed through
/// a plain type parameter would be re-abstracted, and the two sides would disagree.
@usableFromInline
struct RawClosure: CustomReflectable {
    @usableFromInline var function: UnsafeRawPointer?
    @usableFromInline var context: AnyObject?

    @inlinable
    init() {}

    /// No children: the context is a closure context, not a Swift class instance, and reflecting
    /// it as an object would trap (in `dump`, or in a failed `#expect` that mentions a future).
    @usableFromInline
    var customMirror: Mirror {
        Mirror(self, children: [])
    }
}

/// Moves a closure cell (a struct whose one field is a closure) into a ``RawClosure``.
///
/// A cell's field is spelled exactly as the API parameter it stores, so that storing the user's
/// closure needs no re-abstraction thunk; ``unpack(_:as:)`` with the same cell type gets it back.
@inlinable
func pack<Cell>(_ cell: Cell) -> RawClosure {
    precondition(
        MemoryLayout<Cell>.size == MemoryLayout<RawClosure>.size,
        "Internal inconsistency: a closure cell is not two words."
    )
    var raw = RawClosure()
    withUnsafeMutableBytes(of: &raw) { bytes in
        _ = bytes.baseAddress.unsafelyUnwrapped.initializeMemory(as: Cell.self, repeating: cell, count: 1)
    }
    return raw
}

/// The cell that ``pack(_:)`` stored.
@inlinable
func unpack<Cell>(_ raw: RawClosure, as type: Cell.Type) -> Cell {
    withUnsafeBytes(of: raw) { $0.load(as: Cell.self) }
}

// MARK: - Closure cells

@usableFromInline
struct MapCell<Input, Output> {
    @usableFromInline let body: @Sendable (Input) throws -> Output
    @inlinable init(_ body: @escaping @Sendable (Input) throws -> Output) { self.body = body }
}

@usableFromInline
struct FlatMapCell<Input, Output: Sendable> {
    @usableFromInline let body: @Sendable (Input) throws -> Future<Output>
    @inlinable init(_ body: @escaping @Sendable (Input) throws -> Future<Output>) { self.body = body }
}

@usableFromInline
struct ContinueCell<Input: Sendable, Output> {
    @usableFromInline let body: @Sendable (Future<Input>) throws -> Output
    @inlinable init(_ body: @escaping @Sendable (Future<Input>) throws -> Output) { self.body = body }
}

@usableFromInline
struct ContinueFutureCell<Input: Sendable, Output: Sendable> {
    @usableFromInline let body: @Sendable (Future<Input>) throws -> Future<Output>
    @inlinable init(_ body: @escaping @Sendable (Future<Input>) throws -> Future<Output>) { self.body = body }
}

@usableFromInline
struct RecoverCell<Output> {
    @usableFromInline let body: @Sendable (any Error) throws -> Output
    @inlinable init(_ body: @escaping @Sendable (any Error) throws -> Output) { self.body = body }
}

@usableFromInline
struct FlatRecoverCell<Output: Sendable> {
    @usableFromInline let body: @Sendable (any Error) throws -> Future<Output>
    @inlinable init(_ body: @escaping @Sendable (any Error) throws -> Future<Output>) { self.body = body }
}

@usableFromInline
struct MapErrorCell {
    @usableFromInline let body: @Sendable (any Error) -> any Error
    @inlinable init(_ body: @escaping @Sendable (any Error) -> any Error) { self.body = body }
}

@usableFromInline
struct ResultCell<Value> {
    @usableFromInline let body: @Sendable (Result<Value, any Error>) -> Void
    @inlinable init(_ body: @escaping @Sendable (Result<Value, any Error>) -> Void) { self.body = body }
}

@usableFromInline
struct ValueCell<Value> {
    @usableFromInline let body: @Sendable (Value) -> Void
    @inlinable init(_ body: @escaping @Sendable (Value) -> Void) { self.body = body }
}

@usableFromInline
struct ErrorCell {
    @usableFromInline let body: @Sendable (any Error) -> Void
    @inlinable init(_ body: @escaping @Sendable (any Error) -> Void) { self.body = body }
}

@usableFromInline
struct OutcomeCell<Value: Sendable> {
    @usableFromInline let body: @Sendable (Outcome<Value>) -> Void
    @inlinable init(_ body: @escaping @Sendable (Outcome<Value>) -> Void) { self.body = body }
}

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
    var isEmpty: Bool { slot == nil }

    @inlinable
    mutating func append(_ callback: Callback<Value>) {
        guard let first = slot else {
            slot = callback
            return
        }
        if first.token == Callback<Value>.overflowToken {
            first.target(as: OverflowCallbacks<Value>.self).entries.append(callback)
        } else {
            let overflow = OverflowCallbacks<Value>([first, callback])
            var entry = Callback<Value>(target: overflow) { outcome, source, entry in
                for callback in entry.target(as: OverflowCallbacks<Value>.self).entries {
                    callback.run(outcome, from: source)
                }
            }
            entry.token = Callback<Value>.overflowToken
            slot = entry
        }
    }

    /// Removes the callback with `token`; returns whether it was found.
    mutating func remove(token: UInt32) -> Bool {
        guard let first = slot else { return false }
        if first.token == Callback<Value>.overflowToken {
            let overflow = first.target(as: OverflowCallbacks<Value>.self)
            guard let index = overflow.entries.firstIndex(where: { $0.token == token }) else {
                return false
            }
            overflow.entries.remove(at: index)
            if overflow.entries.isEmpty { slot = nil }
            return true
        }
        guard first.token == token else { return false }
        slot = nil
        return true
    }

    @inlinable
    func runAll(_ outcome: Outcome<Value>, from source: Future<Value>) {
        if let slot {
            slot.run(outcome, from: source)
        }
    }
}

/// Two or more callbacks, run in registration order.
// Mutated only while its future's lock is held and the future is pending; once the future is
// done the box is only read.
@usableFromInline
final class OverflowCallbacks<Value: Sendable>: @unchecked Sendable {
    @usableFromInline var entries: [Callback<Value>]

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

    /// The token that ``Future/removeCallback(_:)`` matches, or 0 for internal callbacks.
    var token: UInt32 { get }

    /// Called once, on the thread that completed `source`, with its outcome.
    func run(_ outcome: Outcome<Input>, from source: Future<Input>)
}

extension FutureCallback {
    var token: UInt32 { 0 }
}

/// The box that holds a ``FutureCallback`` in a ``Callback`` entry.
// Immutable after initialisation.
final class FutureCallbackBox<Wrapped: FutureCallback>: @unchecked Sendable {
    let callback: Wrapped

    init(_ callback: Wrapped) {
        self.callback = callback
    }

    static func entry(_ callback: Wrapped) -> Callback<Wrapped.Input> {
        var entry = Callback<Wrapped.Input>(target: FutureCallbackBox(callback)) { outcome, source, entry in
            entry.target(as: FutureCallbackBox.self).callback.run(outcome, from: source)
        }
        entry.token = callback.token
        return entry
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
