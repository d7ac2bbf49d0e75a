// MARK: - Lifting outcomes

/// How a combinator turns an input's outcome into the element it stores for that input.
///
/// Values and failures are handed over separately, so that the hot paths never build an
/// `Outcome<Element>`: unspecialised code pays a metadata look-up for every generic enum it makes.
protocol CombineLift {
    associatedtype Input: Sendable
    associatedtype Element: Sendable

    /// Whether a failed input is stored as an element rather than failing the combine.
    static var storesFailures: Bool { get }

    /// The element stored for an input's value.
    static func element(_ value: Input) -> Element

    /// The element stored for an input's failure, when ``storesFailures`` is true.
    static func element(failure: TracebackNode) -> Element
}

extension CombineLift {
    static var storesFailures: Bool { false }

    static func element(failure: TracebackNode) -> Element {
        preconditionFailure("Internal inconsistency: this combinator does not store failures.")
    }
}

/// Stores the value as it is: `combineFutures` over a sequence.
enum KeepValue<Input: Sendable>: CombineLift {
    @inline(__always)
    static func element(_ value: Input) -> Input { value }
}

/// Stores the value as `any Sendable`: `combineFutures` over a parameter pack.
enum EraseValue<Input: Sendable>: CombineLift {
    @inline(__always)
    static func element(_ value: Input) -> any Sendable { value }
}

/// Stores every outcome as a `Result`: `combineResults`, which never fails.
enum CaptureResult<Input: Sendable>: CombineLift {
    static var storesFailures: Bool { true }

    static func element(_ value: Input) -> Result<Input, any Error> { .success(value) }

    static func element(failure: TracebackNode) -> Result<Input, any Error> { .failure(failure.error) }
}

// MARK: - Setup

/// Drives the setup of a combine on the calling thread, one input at a time, in input order.
///
/// Inputs that are already done when setup reaches them, up to the first pending one, are
/// recorded here without any locking, since no callback exists yet: combining completed futures
/// costs one read per input and no allocation per input. From the first pending input on, a
/// ``CombineState`` shared with the inputs' callbacks takes over.
struct Combiner<Element: Sendable, Output: Sendable> {
    private let site: CallSite
    private let count: Int
    private let failFast: Bool
    private let assemble: @Sendable ([Element]) -> Output
    /// The values of the leading inputs, while no input has failed.
    private var values: [Element] = []
    /// The lowest-index failure among the leading inputs.
    private var failure: (index: Int, node: TracebackNode)?
    private var state: CombineState<Element, Output>?
    /// How many inputs were added.
    private var added = 0

    init(site: CallSite, count: Int, failFast: Bool, assemble: @escaping @Sendable ([Element]) -> Output) {
        self.site = site
        self.count = count
        self.failFast = failFast
        self.assemble = assemble
        values.reserveCapacity(count)
    }

    /// Adds the next input; returns `false` if the answer became known while reading the inputs
    /// that are already done, so that later inputs can be skipped.
    @inline(__always)
    mutating func add<L: CombineLift>(_ future: Future<L.Input>, _ lift: L.Type) -> Bool where L.Element == Element {
        let index = added
        added += 1
        if let state {
            Self.register(future, CombineCallback<L, Output>(state: state, index: index))
            return true
        }
        switch future.doneOutcome {
        case .success(let value):
            if failure == nil { values.append(L.element(value)) }
            return true
        case .failure(let node):
            if L.storesFailures {
                values.append(L.element(failure: node))
                return true
            }
            guard failure == nil else { return true }
            failure = (index, node)
            values = []
            // Every input before this one succeeded: a fail-fast combine has its answer.
            return !failFast
        case nil:
            let state = CombineState(
                site: site, count: count, failFast: failFast, assemble: assemble,
                start: index, values: values, failure: failure)
            values = []
            self.state = state
            Self.register(future, CombineCallback<L, Output>(state: state, index: index))
            return true
        }
    }

    /// Registers `callback`; a fail-fast combine owns the registration, to remove it once decided.
    @inline(__always)
    private static func register<L: CombineLift>(_ future: Future<L.Input>, _ callback: CombineCallback<L, Output>) {
        if let registrations = callback.state.registrations {
            registrations.keep(future.register(owned: callback))
        } else {
            future.register(callback)
        }
    }

    /// Ends the setup and returns the combined future.
    consuming func finish() -> Future<Output> {
        if let state { return state.finishSetup() }
        if let failure {
            return Future(
                site: site,
                outcome: .passedThrough(failure.node, at: site, inputIndex: failure.index, inputCount: count))
        }
        return Future(site: site, outcome: .success(assemble(values)))
    }
}

/// The callback a combine registers on one input: the shared state and the input's index.
struct CombineCallback<L: CombineLift, Output: Sendable>: FutureCallback {
    let state: CombineState<L.Element, Output>
    let index: Int

    func run(_ outcome: Outcome<L.Input>, from source: Future<L.Input>) {
        switch outcome {
        case .success(let value):
            state.record(L.element(value), at: index)
        case .failure(let node):
            if L.storesFailures {
                state.record(L.element(failure: node), at: index)
            } else {
                state.record(failure: node, at: index)
            }
        }
    }
}
