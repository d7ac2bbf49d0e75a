// MARK: - Collecting values

/// Blocks until every input has succeeded and returns their values, in input order.
///
/// Walks the inputs in order under one shared deadline: it waits for the first input, then the
/// second, and so on, and throws the first failure it reaches without waiting for the inputs after
/// it. The original error is thrown, so `catch let error as MyError` works; read its traceback from
/// the input future. An empty sequence returns `[]`.
///
/// ```swift
/// let pages = try collectFutures(urls.map { fetch($0) }, timeout: .seconds(5))
/// ```
///
/// No closure runs, and nothing is cancelled: on a timeout or a failure the inputs keep running.
/// Deadlock rules are those of ``Future/get(timeout:)``: called on a thread that an input needs in
/// order to complete, it runs the pending work itself, or throws
/// ``FutureError/Code/wouldDeadlock`` at once rather than hang.
///
/// - Parameters:
///   - futures: The inputs.
///   - timeout: How long to wait in all, at most; `nil` waits as long as it takes. With zero or a
///     negative duration, only inputs that are already done count.
/// - Returns: The values, in input order.
/// - Throws: The error of the first failed input reached; ``FutureError/Code/timedOut`` if the
///   deadline passes before an input completes; ``FutureError/Code/wouldDeadlock`` if waiting could
///   never end.
@available(
    *, noasync, message: "Await combineFutures(_:).value in async code, or use TestExecutor.run(until:) in tests."
)
public func collectFutures<T: Sendable>(_ futures: some Sequence<Future<T>>, timeout: Duration? = nil) throws -> [T] {
    let deadline = timeout.map { ContinuousClock.now + $0 }
    var values: [T] = []
    values.reserveCapacity(futures.underestimatedCount)
    for (index, future) in futures.enumerated() {
        switch future.outcome(waitingUntil: deadline) {
        case .done(let outcome):
            values.append(try outcome.get())
        case .timedOut:
            throw collectTimedOut(index: index, timeout: timeout ?? .zero)
        case .wouldDeadlock:
            throw FutureError(code: .wouldDeadlock)
        }
    }
    return values
}

/// The error of a `collectFutures` whose deadline passed while the input at `index` was pending.
private func collectTimedOut(index: Int, timeout: Duration) -> FutureError {
    guard timeout > .zero else {
        return FutureError(
            code: .timedOut,
            message: "the timeout was \(timeout), so collectFutures did not wait, and the input at index \(index) "
                + "was still pending"
        )
    }
    return FutureError(
        code: .timedOut,
        message: "the input at index \(index) did not complete within the timeout of \(timeout) shared by all inputs"
    )
}

// MARK: - Waiting for a condition

/// When ``waitFutures(_:until:timeout:)`` stops waiting.
///
/// ```swift
/// let (done, pending) = waitFutures(jobs, until: .firstFailure)
/// ```
public enum WaitCondition: Sendable, Hashable {
    /// When every input is done.
    case allCompleted
    /// When any input is done: succeeded, failed or cancelled.
    case firstCompleted
    /// When any input has failed with an error other than `CancellationError`, or else when every
    /// input is done.
    case firstFailure
}

/// Blocks until a condition holds for the inputs, and returns which are done and which are not.
///
/// Waits on all the inputs at once, under one deadline, rather than on one input after the
/// other. When the condition holds or the deadline passes, returns the inputs that are done and
/// the inputs that are still pending at that moment, each in input order; a timeout is not an
/// error, the pending part tells. With no input, returns `([], [])` at once.
///
/// ```swift
/// let (done, pending) = waitFutures(downloads, until: .firstCompleted, timeout: .seconds(1))
/// print("\(done.count) finished, \(pending.count) still running")
/// ```
///
/// A failed or cancelled input counts as done; read its error and traceback from the input itself.
/// No closure runs, and nothing is cancelled: pending inputs keep running. The callbacks this call
/// registers are removed before it returns. Deadlock rules are those of ``Future/wait(timeout:)``:
/// called on a thread that the inputs need in order to complete, it runs the pending work itself,
/// or returns at once if waiting could never end.
///
/// - Parameters:
///   - futures: The inputs.
///   - condition: When to stop waiting; ``WaitCondition/allCompleted`` by default.
///   - timeout: How long to wait at most; `nil` waits as long as it takes. Zero or a negative
///     duration returns at once.
/// - Returns: The done inputs and the pending inputs, each in input order.
@available(*, noasync, message: "Await combineResults(_:).value or iterate asCompleted(_:) in async code.")
public func waitFutures<T: Sendable>(
    _ futures: some Sequence<Future<T>>,
    until condition: WaitCondition = .allCompleted,
    timeout: Duration? = nil
) -> (done: [Future<T>], pending: [Future<T>]) {
    let inputs = Array(futures)
    if !inputs.isEmpty && (timeout.map { $0 > .zero } ?? true) {
        let deadline = timeout.map { ContinuousClock.now + $0 }
        let state = WaitState(condition: condition, count: inputs.count)
        let tokens = inputs.map { input in
            input.register(removable: true) { token in WaitCallback<T>(state: state, token: token) }
        }
        _ = state.signal.blockingWait(deadline: deadline)
        for (input, token) in zip(inputs, tokens) {
            _ = input.removeCallback(token: token)
        }
    }
    var done: [Future<T>] = []
    var pending: [Future<T>] = []
    for input in inputs {
        if input.isDone {
            done.append(input)
        } else {
            pending.append(input)
        }
    }
    return (done, pending)
}

// MARK: - Support

/// How waiting for one input under a deadline ended.
enum DeadlineWait<T: Sendable> {
    case done(Outcome<T>)
    case timedOut
    case wouldDeadlock
}

extension Future {
    /// Waits for the outcome until `deadline`, under the rules of ``get(timeout:)``.
    ///
    /// A deadline that has passed only reads the outcome of a future that is already done.
    func outcome(waitingUntil deadline: ContinuousClock.Instant?) -> DeadlineWait<Value> {
        if let outcome = doneOutcome { return .done(outcome) }
        if let deadline, deadline <= .now { return .timedOut }
        switch blockingWait(deadline: deadline) {
        case .satisfied, .notHandled:
            guard let outcome = doneOutcome else {
                preconditionFailure("Internal inconsistency: a satisfied wait left the future pending.")
            }
            return .done(outcome)
        case .timedOut:
            return doneOutcome.map { .done($0) } ?? .timedOut
        case .wouldDeadlock:
            return doneOutcome.map { .done($0) } ?? .wouldDeadlock
        }
    }
}

/// Counts the inputs of a `waitFutures` call as they complete, and completes `signal` once the
/// condition holds.
// `completed` and `isSatisfied` are read and written only under this object's lock stripe; the
// signal is completed outside it.
private final class WaitState: @unchecked Sendable {
    /// The future the blocked thread waits on; it succeeds once the condition holds, and never fails.
    let signal = Future<Void>(site: CallSite(.promise, #fileID, #line, #function))
    private let condition: WaitCondition
    private let count: Int
    private var completed = 0
    private var isSatisfied = false

    init(condition: WaitCondition, count: Int) {
        self.condition = condition
        self.count = count
    }

    func inputCompleted(failed: Bool) {
        let satisfied: Bool = withLock {
            completed += 1
            guard !isSatisfied else { return false }
            switch condition {
            case .allCompleted: isSatisfied = completed == count
            case .firstCompleted: isSatisfied = true
            case .firstFailure: isSatisfied = failed || completed == count
            }
            return isSatisfied
        }
        if satisfied { signal.complete(.success(())) }
    }

    @inline(__always)
    private func withLock<R>(_ body: () throws -> R) rethrows -> R {
        let mutex = LockStripes.mutex(for: self)
        mutex.lockStripe()
        defer { mutex.unlockStripe() }
        return try body()
    }
}

/// The removable callback `waitFutures` registers on each input.
private struct WaitCallback<T: Sendable>: FutureCallback {
    let state: WaitState
    let token: UInt32

    func run(_ outcome: Outcome<T>, from source: Future<T>) {
        switch outcome {
        case .success: state.inputCompleted(failed: false)
        case .failure(let failure): state.inputCompleted(failed: !(failure.error is CancellationError))
        }
    }
}
