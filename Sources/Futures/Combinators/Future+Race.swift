// MARK: - Racing

/// Returns a future with the outcome of the first input to complete, success or failure.
///
/// Inputs that are already done decide at once: the lowest-index one wins, so the answer is
/// deterministic when several are done. Otherwise the first input to complete wins. A failure
/// keeps the input's traceback and gains a `firstCompleted` frame, marked as passed through,
/// naming the input with `inputIndex` and `inputCount`.
///
/// ```swift
/// let answer = firstCompleted([primary.fetch(key), replica.fetch(key)])
/// ```
///
/// No closure runs: the result completes on the thread that completes the winning input, through
/// the inline trampoline. Cancelling the result completes it with `CancellationError` and cancels
/// none of the inputs; the losers keep running, and their outcomes are ignored.
///
/// With no input, the result has already failed with ``FutureError/Code/noInputs``. The same future
/// may appear more than once.
///
/// - Parameters:
///   - futures: The inputs.
///   - fileID: The file of the call site; defaults to the caller's.
///   - line: The line of the call site; defaults to the caller's.
///   - function: The function of the call site; defaults to the caller's.
/// - Returns: A future of the first outcome.
public func firstCompleted<T: Sendable>(
    _ futures: some Sequence<Future<T>>,
    fileID: StaticString = #fileID,
    line: UInt = #line,
    function: StaticString = #function
) -> Future<T> {
    let site = CallSite(.firstCompleted, fileID, line, function)
    let inputs = Array(futures)
    guard !inputs.isEmpty else { return Future(site: site, outcome: .noInputs(at: site)) }
    var race: Race<T>?
    for (index, input) in inputs.enumerated() {
        if let outcome = input.doneOutcome {
            let outcome = outcome.tagged(at: site, inputIndex: index, inputCount: inputs.count)
            guard let race else { return Future(site: site, outcome: outcome) }
            race.decide(outcome)
            return race.result
        }
        let pending = race ?? Race(result: Future(site: site))
        race = pending
        pending.registrations.keep(
            input.register(owned: RaceCallback(race: pending, index: index, count: inputs.count)))
    }
    guard let race else { preconditionFailure("Internal inconsistency: a race over inputs has no result.") }
    return race.result
}

/// Returns a future with the value of the first input to succeed.
///
/// Inputs that have already succeeded decide at once: the lowest-index one wins. Otherwise the
/// first input to succeed wins. If every input fails, the result fails with the failure of the
/// **lowest-index** input, whatever order the failures happened in; it keeps that input's
/// traceback and gains a `firstSucceeded` frame, marked as passed through, naming the input with
/// `inputIndex` and `inputCount`.
///
/// ```swift
/// let config = firstSucceeded(mirrors.map { $0.download("config.json") })
/// ```
///
/// No closure runs: the result completes on the thread that completes the deciding input, through
/// the inline trampoline. Cancelling the result completes it with `CancellationError` and cancels
/// none of the inputs. A cancelled input counts as a failure.
///
/// With no input, the result has already failed with ``FutureError/Code/noInputs``. The same future
/// may appear more than once.
///
/// - Parameters:
///   - futures: The inputs.
///   - fileID: The file of the call site; defaults to the caller's.
///   - line: The line of the call site; defaults to the caller's.
///   - function: The function of the call site; defaults to the caller's.
/// - Returns: A future of the first value.
public func firstSucceeded<T: Sendable>(
    _ futures: some Sequence<Future<T>>,
    fileID: StaticString = #fileID,
    line: UInt = #line,
    function: StaticString = #function
) -> Future<T> {
    let site = CallSite(.firstSucceeded, fileID, line, function)
    let inputs = Array(futures)
    guard !inputs.isEmpty else { return Future(site: site, outcome: .noInputs(at: site)) }
    var failure: (index: Int, node: TracebackNode)?
    var state: FirstSuccessState<T>?
    for (index, input) in inputs.enumerated() {
        if let state {
            state.registrations.keep(input.register(owned: FirstSuccessCallback(state: state, index: index)))
            continue
        }
        switch input.doneOutcome {
        case .success(let value):
            return Future(site: site, outcome: .success(value))
        case .failure(let node):
            if failure == nil { failure = (index, node) }
        case nil:
            let shared = FirstSuccessState<T>(site: site, count: inputs.count, start: index, failure: failure)
            state = shared
            shared.registrations.keep(input.register(owned: FirstSuccessCallback(state: shared, index: index)))
        }
    }
    if let state { return state.finishSetup() }
    guard let failure else { preconditionFailure("Internal inconsistency: a race found neither value nor failure.") }
    return Future(
        site: site,
        outcome: Outcome.failure(failure.node).tagged(at: site, inputIndex: failure.index, inputCount: inputs.count))
}

// MARK: - Support

extension Outcome {
    /// The failure of a combinator given no input, raised at its site.
    static func noInputs(at site: CallSite) -> Outcome {
        .raised(
            FutureError(code: .noInputs, message: "\(site.operation.name) needs at least one input future"), at: site)
    }

    /// The same outcome; a failure gains the combinator's frame naming input `inputIndex`.
    @inline(__always)
    func tagged(at site: CallSite, inputIndex: Int, inputCount: Int) -> Outcome {
        switch self {
        case .success: self
        case .failure(let node): .passedThrough(node, at: site, inputIndex: inputIndex, inputCount: inputCount)
        }
    }
}

/// A `firstCompleted` race: its result and its callbacks on the inputs, removed once it is decided.
private final class Race<T: Sendable>: Sendable {
    let result: Future<T>
    let registrations = Registrations()

    init(result: Future<T>) {
        self.result = result
    }

    func decide(_ outcome: Outcome<T>) {
        if result.complete(outcome) {
            registrations.cancelAll()
        }
    }
}

/// The callback `firstCompleted` registers on each input: the first to complete the result wins.
private struct RaceCallback<T: Sendable>: FutureCallback {
    let race: Race<T>
    let index: Int
    let count: Int

    func run(_ outcome: Outcome<T>, from source: Future<T>) {
        race.decide(outcome.tagged(at: race.result.site, inputIndex: index, inputCount: count))
    }
}

/// The state `firstSucceeded` shares with the callbacks of its inputs, from the first pending one.
///
/// Locked by hand, with no generic value crossing the lock: see ``CombineState``.
// Every `var` is read and written only under this object's lock stripe (so the runtime's
// exclusivity checks are redundant); the locked sections touch only this object. Once `isDecided`
// is set only `remaining` changes, so the deciding thread owns `failure`. The result is completed
// outside the lock.
private final class FirstSuccessState<T: Sendable>: @unchecked Sendable {
    let result: Future<T>
    /// The callbacks on the inputs, removed once the race is decided.
    let registrations = Registrations()
    private let count: Int
    /// Inputs from the first pending one not yet recorded, plus one while setup is running.
    @exclusivity(unchecked) private var remaining: Int
    @exclusivity(unchecked) private var failureIndex = Int.max
    @exclusivity(unchecked) private var failure: TracebackNode?
    @exclusivity(unchecked) private var isDecided = false

    init(site: CallSite, count: Int, start: Int, failure: (index: Int, node: TracebackNode)?) {
        self.result = Future(site: site)
        self.count = count
        self.remaining = count - start + 1
        if let failure {
            self.failureIndex = failure.index
            self.failure = failure.node
        }
    }

    /// Records the outcome of input `index`.
    func record(_ outcome: Outcome<T>, at index: Int) {
        let mutex = LockStripes.mutex(for: self)
        mutex.lockStripe()
        remaining -= 1
        guard !isDecided else {
            mutex.unlockStripe()
            return
        }
        switch outcome {
        case .success:
            isDecided = true
            let handled = failure.take()
            mutex.unlockStripe()
            withExtendedLifetime(handled) {}  // released after the lock
            result.complete(outcome)
            registrations.cancelAll()
        case .failure(let node):
            var replaced: TracebackNode?
            if index < failureIndex {
                failureIndex = index
                replaced = failure
                failure = node
            }
            failIfNothingRemainsAndUnlock(mutex)
            withExtendedLifetime(replaced) {}  // released after the lock
        }
    }

    /// Releases the hold of the setup.
    func finishSetup() -> Future<T> {
        let mutex = LockStripes.mutex(for: self)
        mutex.lockStripe()
        remaining -= 1
        if isDecided {
            mutex.unlockStripe()
        } else {
            failIfNothingRemainsAndUnlock(mutex)
        }
        return result
    }

    /// Called under the lock, which it releases: every input failed once nothing remains.
    private func failIfNothingRemainsAndUnlock(_ mutex: UnsafeMutablePointer<PlatformMutex>) {
        guard remaining == 0, let failure else {
            mutex.unlockStripe()
            return
        }
        isDecided = true
        self.failure = nil
        let index = failureIndex
        mutex.unlockStripe()
        result.complete(.passedThrough(failure, at: result.site, inputIndex: index, inputCount: count))
    }
}

/// The callback `firstSucceeded` registers on one input: the shared state and the input's index.
private struct FirstSuccessCallback<T: Sendable>: FutureCallback {
    let state: FirstSuccessState<T>
    let index: Int

    func run(_ outcome: Outcome<T>, from source: Future<T>) {
        state.record(outcome, at: index)
    }
}
