// MARK: - Lifting outcomes

/// How a combinator turns an input's outcome into the outcome it stores for that input.
protocol CombineLift {
    associatedtype Input: Sendable
    associatedtype Element: Sendable

    static func lift(_ outcome: Outcome<Input>) -> Outcome<Element>
}

/// Stores the outcome as it is: `combineFutures` over a sequence.
enum KeepOutcome<Input: Sendable>: CombineLift {
    @inline(__always)
    static func lift(_ outcome: Outcome<Input>) -> Outcome<Input> { outcome }
}

/// Stores the value as `any Sendable`: `combineFutures` over a parameter pack.
enum EraseValue<Input: Sendable>: CombineLift {
    static func lift(_ outcome: Outcome<Input>) -> Outcome<any Sendable> {
        switch outcome {
        case .success(let value): .success(value)
        case .failure(let failure): .failure(failure)
        }
    }
}

/// Stores every outcome as a successful `Result`: `combineResults`, which never fails.
enum CaptureResult<Input: Sendable>: CombineLift {
    static func lift(_ outcome: Outcome<Input>) -> Outcome<Result<Input, any Error>> {
        .success(outcome.result)
    }
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

    /// Adds the next input; returns `false` once the answer is known and later inputs can be skipped.
    @inline(__always)
    mutating func add<L: CombineLift>(_ future: Future<L.Input>, _ lift: L.Type) -> Bool where L.Element == Element {
        let index = added
        added += 1
        if let state { return state.attach(future, at: index, lift) }
        guard let outcome = future.doneOutcome else {
            let state = CombineState(
                site: site, count: count, failFast: failFast, assemble: assemble,
                start: index, values: values, failure: failure)
            values = []
            self.state = state
            return state.attach(future, at: index, lift)
        }
        switch L.lift(outcome) {
        case .success(let value):
            if failure == nil { values.append(value) }
            return true
        case .failure(let node):
            guard failure == nil else { return true }
            failure = (index, node)
            values = []
            // Every input before this one succeeded: a fail-fast combine has its answer.
            return !failFast
        }
    }

    /// Ends the setup and returns the combined future.
    consuming func finish() -> Future<Output> {
        if let state { return state.finishSetup(skipped: count - added) }
        if let failure {
            return Future(
                site: site,
                outcome: .passedThrough(failure.node, at: site, inputIndex: failure.index, inputCount: count))
        }
        return Future(site: site, outcome: .success(assemble(values)))
    }
}

// MARK: - Shared state

/// The state a combine shares with the callbacks of its inputs, from the first pending input on.
///
/// One object per combine: a counter, the lowest-index failure, and one slot per input from
/// `start` on. Each input's callback is a small ``CombineCallback`` carrying its index, so that
/// registering it allocates nothing beyond what the input's callback list needs.
// Every `var` is read and written only under this object's lock stripe, except in `deinit`. The
// locked sections touch only this object; results are completed, and values assembled or
// released, outside them.
final class CombineState<Element: Sendable, Output: Sendable>: @unchecked Sendable {
    let result: Future<Output>
    private let count: Int
    private let failFast: Bool
    private let assemble: @Sendable ([Element]) -> Output
    /// The index of the first slot: inputs before it were recorded during setup.
    private let start: Int
    private var values: [Element]
    private var slots: UnsafeMutablePointer<Element?>?
    /// Inputs from `start` not yet recorded, plus one while setup is still running.
    private var remaining: Int
    /// For fail-fast combines, the first index not known to have succeeded.
    private var prefix: Int
    private var failureIndex = Int.max
    private var failure: TracebackNode?
    private var isDecided = false

    init(
        site: CallSite,
        count: Int,
        failFast: Bool,
        assemble: @escaping @Sendable ([Element]) -> Output,
        start: Int,
        values: [Element],
        failure: (index: Int, node: TracebackNode)?
    ) {
        self.result = Future(site: site)
        self.count = count
        self.failFast = failFast
        self.assemble = assemble
        self.start = start
        self.values = values
        self.remaining = count - start + 1
        self.prefix = start
        if let failure {
            self.failureIndex = failure.index
            self.failure = failure.node
        } else {
            let slots = UnsafeMutablePointer<Element?>.allocate(capacity: count - start)
            slots.initialize(repeating: nil, count: count - start)
            self.slots = slots
        }
    }

    deinit {
        // Inputs that never completed released their callbacks: free what was stored.
        if let slots {
            slots.deinitialize(count: count - start)
            slots.deallocate()
        }
    }

    /// What to do once the lock is released.
    private enum Action {
        case none
        case fail(TracebackNode, index: Int, release: UnsafeMutablePointer<Element?>?, values: [Element])
        case succeed(UnsafeMutablePointer<Element?>?, values: [Element])
    }

    /// Records `future` now if it is done, or registers a callback; returns whether the answer is
    /// still open.
    @inline(__always)
    func attach<L: CombineLift>(_ future: Future<L.Input>, at index: Int, _ lift: L.Type) -> Bool
    where L.Element == Element {
        if let outcome = future.doneOutcome { return record(L.lift(outcome), at: index) }
        future.register(CombineCallback<L, Output>(state: self, index: index))
        return true
    }

    /// Records the outcome of input `index`; returns whether the answer is still open.
    @discardableResult
    func record(_ outcome: Outcome<Element>, at index: Int) -> Bool {
        let (action, isOpen): (Action, Bool) = withLock {
            remaining -= 1
            if isDecided { return (.none, false) }
            switch outcome {
            case .success(let value):
                guard index < failureIndex, let slots else { break }
                slots[index - start] = value
                if failFast && index == prefix {
                    prefix += 1
                    while prefix < count && prefix < failureIndex && slots[prefix - start] != nil { prefix += 1 }
                }
            case .failure(let node):
                if index < failureIndex {
                    failureIndex = index
                    failure = node
                }
            }
            let action = decide()
            return (action, !isDecided)
        }
        perform(action)
        return isOpen
    }

    /// Releases the hold of the setup, which skipped `skipped` inputs after the answer was known.
    func finishSetup(skipped: Int) -> Future<Output> {
        let action: Action = withLock {
            remaining -= skipped + 1
            return isDecided ? .none : decide()
        }
        perform(action)
        return result
    }

    /// Called under the lock: decides the answer if it is determined.
    private func decide() -> Action {
        if let failure, remaining == 0 || (failFast && prefix == failureIndex) {
            isDecided = true
            defer {
                slots = nil
                values = []
                self.failure = nil
            }
            return .fail(failure, index: failureIndex, release: slots, values: values)
        }
        guard remaining == 0 else { return .none }
        isDecided = true
        defer {
            slots = nil
            values = []
        }
        return .succeed(slots, values: values)
    }

    private func perform(_ action: Action) {
        switch action {
        case .none:
            return
        case .fail(let node, index: let index, release: let release, values: _):
            if let release {
                release.deinitialize(count: count - start)
                release.deallocate()
            }
            result.complete(.passedThrough(node, at: result.site, inputIndex: index, inputCount: count))
        case .succeed(let slots, values: var values):
            if let slots {
                for offset in 0..<(count - start) {
                    guard let value = (slots + offset).move() else {
                        preconditionFailure("Internal inconsistency: a combine succeeded with an input unrecorded.")
                    }
                    values.append(value)
                }
                slots.deallocate()
            }
            result.complete(.success(assemble(values)))
        }
    }

    @inline(__always)
    private func withLock<T>(_ body: () throws -> T) rethrows -> T {
        let mutex = LockStripes.mutex(for: self)
        mutex.lockMutex()
        defer { mutex.unlockMutex() }
        return try body()
    }
}

/// The callback a combine registers on one input: the shared state and the input's index.
struct CombineCallback<L: CombineLift, Output: Sendable>: FutureCallback {
    let state: CombineState<L.Element, Output>
    let index: Int

    func run(_ outcome: Outcome<L.Input>, from source: Future<L.Input>) {
        state.record(L.lift(outcome), at: index)
    }
}
