/// The outcome of a completed future: a value, or an error with its traceback.
enum Outcome<Value: Sendable>: Sendable {
    case success(Value)
    case failure(any Error, TracebackNode)

    var result: Result<Value, any Error> {
        switch self {
        case .success(let value): .success(value)
        case .failure(let error, _): .failure(error)
        }
    }

    @inline(__always)
    func get() throws -> Value {
        switch self {
        case .success(let value): return value
        case .failure(let error, _): throw error
        }
    }

    /// A failure raised at `site`: the first frame of a new traceback.
    static func raised(_ error: any Error, at site: CallSite) -> Outcome {
        .failure(error, TracebackNode(site: site, role: .raised, parent: nil))
    }

    /// The same failure, one stage further: `site` is appended as a passed-through frame.
    static func passedThrough(_ error: any Error, _ traceback: TracebackNode, at site: CallSite) -> Outcome {
        .failure(error, TracebackNode(site: site, role: .passedThrough, parent: traceback))
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
struct CallbackList<Value: Sendable> {
    var first: (any FutureCallback<Value>)?
    var rest: [any FutureCallback<Value>] = []

    init() {}

    var isEmpty: Bool { first == nil }

    mutating func append(_ callback: any FutureCallback<Value>) {
        if first == nil {
            first = callback
        } else {
            rest.append(callback)
        }
    }

    /// Removes the callback with `token`; returns whether it was found.
    mutating func remove(token: UInt32) -> Bool {
        if let first, first.token == token {
            if rest.isEmpty {
                self.first = nil
            } else {
                self.first = rest.removeFirst()
            }
            return true
        }
        if let index = rest.firstIndex(where: { $0.token == token }) {
            rest.remove(at: index)
            return true
        }
        return false
    }

    @inline(__always)
    func runAll(_ outcome: Outcome<Value>, from source: Future<Value>) {
        guard let first else { return }
        first.run(outcome, from: source)
        for callback in rest {
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
