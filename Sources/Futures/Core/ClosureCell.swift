/// The two words of a closure (its function pointer and its context), held without their type.
///
/// A stage stores its user closure here, inside its callback entry, so that registering a stage
/// allocates nothing but the stage's future. ``pack(_:)`` and ``unpack(_:as:)`` copy the closure in
/// and out inside a cell struct whose field is spelled as a function type: a closure passed through
/// a plain type parameter would be re-abstracted, and the two sides would disagree.
///
/// The ABI assumption this rests on: a thick Swift closure is two words, a function pointer and a
/// reference-counted context (null when nothing is captured), so a struct whose single stored
/// property is spelled as a concrete function type has exactly that layout and holds the closure
/// as given, without a re-abstraction thunk. `pack` checks the size; the round trip through
/// capturing, non-capturing and existential-capturing closures is tested in `ClosureCellTests`.
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
