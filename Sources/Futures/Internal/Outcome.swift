/// The outcome of a completed future: a value, or an error with its traceback.
enum Outcome<Value: Sendable>: Sendable {
    case success(Value)
    case failure(TracebackNode)

    var result: Result<Value, any Error> {
        switch self {
        case .success(let value): .success(value)
        case .failure(let failure): .failure(failure.error)
        }
    }

    @inline(__always)
    func get() throws -> Value {
        switch self {
        case .success(let value): return value
        case .failure(let failure): throw failure.error
        }
    }

    /// A failure raised at `site`: the first frame of a new traceback.
    static func raised(_ error: any Error, at site: CallSite) -> Outcome {
        .failure(TracebackNode(error: error, site: site, role: .raised, parent: nil))
    }

    /// The same failure, one stage further: `site` is appended as a passed-through frame.
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

// MARK: - Callbacks

/// Something to run when a future completes: a continuation stage, a forwarder or a user callback.
///
/// Conforming types are small structs, so that the existential that stores them keeps them
/// inline: registering a `map` stage allocates only the stage's future.
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

/// The callbacks of a pending future, in registration order.
///
/// One callback is stored inline; a second turns the slot into an overflow box holding them all,
/// so that the common single-callback case costs no allocation and a future stays small.
struct CallbackList<Value: Sendable> {
    private var slot: (any FutureCallback<Value>)?

    init() {}

    var isEmpty: Bool { slot == nil }

    mutating func append(_ callback: any FutureCallback<Value>) {
        switch slot {
        case nil:
            slot = callback
        case let overflow as OverflowCallbacks<Value>:
            slot = nil  // keep the box uniquely referenced so that it can grow in place
            overflow.callbacks.append(callback)
            slot = overflow
        case let first?:
            slot = OverflowCallbacks([first, callback])
        }
    }

    /// Removes the callback with `token`; returns whether it was found.
    mutating func remove(token: UInt32) -> Bool {
        switch slot {
        case nil:
            return false
        case let overflow as OverflowCallbacks<Value>:
            guard let index = overflow.callbacks.firstIndex(where: { $0.token == token }) else { return false }
            overflow.callbacks.remove(at: index)
            if overflow.callbacks.isEmpty { slot = nil }
            return true
        case let first?:
            guard first.token == token else { return false }
            slot = nil
            return true
        }
    }

    @inline(__always)
    func runAll(_ outcome: Outcome<Value>, from source: Future<Value>) {
        slot?.run(outcome, from: source)
    }
}

/// Two or more callbacks, run in registration order.
// Mutated only while its future's lock is held, before it is handed over to run; once running it
// is never mutated again (a list being delivered is replaced, not changed).
final class OverflowCallbacks<Value: Sendable>: FutureCallback, @unchecked Sendable {
    var callbacks: [any FutureCallback<Value>]

    init(_ callbacks: [any FutureCallback<Value>]) {
        self.callbacks = callbacks
    }

    func run(_ outcome: Outcome<Value>, from source: Future<Value>) {
        for callback in callbacks {
            callback.run(outcome, from: source)
        }
    }
}

/// Passes a future's outcome on to another future: flattening and `complete(with:)`.
struct ForwardCallback<Value: Sendable>: FutureCallback {
    let next: Future<Value>

    func run(_ outcome: Outcome<Value>, from source: Future<Value>) {
        next.complete(passingThrough: outcome)
    }
}

/// A closure run when the future completes; internal waiters and combinators use it.
struct ClosureCallback<Value: Sendable>: FutureCallback {
    let body: @Sendable (Outcome<Value>) -> Void

    func run(_ outcome: Outcome<Value>, from source: Future<Value>) {
        body(outcome)
    }
}
