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

    /// A failure raised at `site` by an error handler while it handled `handled`: the handled
    /// failure's frames are kept, and `site` is appended as a raised frame.
    @inlinable
    static func raised(_ error: any Error, at site: CallSite, handling handled: TracebackNode) -> Outcome {
        .failure(TracebackNode(error: error, site: site, role: .raised, handling: true, parent: handled))
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
