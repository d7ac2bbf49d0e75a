/// Futures in the order they completed, for ``CompletionQueue`` and `asCompleted`.
///
/// A future put in that is already done is queued at once; a pending one gets a callback that
/// queues it when it completes. Takers that find nothing ready wait on a signal future, so that
/// blocking takes follow the deadlock rules of ``Future/get(timeout:)`` and async takes the
/// cancellation rules of ``Future/value``.
// Every `var` is read and written only under `lock`. Callbacks are registered, and signals
// completed, outside it.
final class CompletionBuffer<T: Sendable>: @unchecked Sendable {
    private let lock = Lock()
    /// Completed futures not taken yet, from `head` on; taken slots are cleared.
    private var ready: [Future<T>?] = []
    private var head = 0
    /// Futures put in that have not completed yet.
    private var outstanding = 0
    /// The signals of takers waiting for a future to complete.
    private var signals: [Future<Void>] = []

    /// What a take found.
    enum Take {
        case future(Future<T>)
        /// Nothing is ready, and either nothing is left or the taker may not wait.
        case nothing
        /// Nothing is ready yet: wait for the signal, then take again.
        case wait(Future<Void>)
    }

    // MARK: - Putting

    func put(_ future: Future<T>) {
        if future.isDone {
            deliver(future, wasOutstanding: false)
            return
        }
        lock.withLock { outstanding += 1 }
        future.register(CompletionCallback(buffer: self))
    }

    fileprivate func deliver(_ future: Future<T>, wasOutstanding: Bool) {
        let woken: [Future<Void>] = lock.withLock {
            if wasOutstanding { outstanding -= 1 }
            ready.append(future)
            defer { signals.removeAll() }
            return signals
        }
        for signal in woken {
            signal.complete(.success(()))
        }
    }

    // MARK: - Taking

    /// Takes the next completed future; if none is ready but some are outstanding and `orWait`,
    /// returns a signal that completes once one is delivered.
    func take(orWait: Bool) -> Take {
        lock.withLock {
            if head < ready.count {
                guard let future = ready[head] else {
                    preconditionFailure("Internal inconsistency: a completion slot was taken twice.")
                }
                ready[head] = nil
                head += 1
                if head == ready.count {
                    ready.removeAll(keepingCapacity: ready.count <= 1024)
                    head = 0
                } else if head >= 1024 && head * 2 >= ready.count {
                    ready.removeFirst(head)
                    head = 0
                }
                return .future(future)
            }
            guard outstanding > 0, orWait else { return .nothing }
            let signal = Future<Void>(site: CallSite(.promise, #fileID, #line, #function))
            signals.append(signal)
            return .wait(signal)
        }
    }

    /// Forgets the signal of a taker that stopped waiting.
    func stopWaiting(_ signal: Future<Void>) {
        lock.withLock { signals.removeAll { $0 === signal } }
    }

    /// Blocks until a future is ready and takes it; `nil` once nothing is left, when `deadline`
    /// passes, or when waiting could never end.
    func take(until deadline: ContinuousClock.Instant?) -> Future<T>? {
        while true {
            let canWait = deadline.map { $0 > .now } ?? true
            switch take(orWait: canWait) {
            case .future(let future):
                return future
            case .nothing:
                return nil
            case .wait(let signal):
                switch signal.blockingWait(deadline: deadline) {
                case .satisfied, .notHandled:
                    continue
                case .timedOut, .wouldDeadlock:
                    stopWaiting(signal)
                    if case .future(let future) = take(orWait: false) { return future }
                    return nil
                }
            }
        }
    }

    /// Awaits a ready future and takes it; `nil` once nothing is left or when the task is cancelled.
    func next() async -> Future<T>? {
        while true {
            switch take(orWait: true) {
            case .future(let future):
                return future
            case .nothing:
                return nil
            case .wait(let signal):
                do {
                    try await signal.value
                } catch {
                    stopWaiting(signal)
                    return nil
                }
            }
        }
    }
}

/// The callback a completion buffer registers on each pending future it was given.
private struct CompletionCallback<T: Sendable>: FutureCallback {
    let buffer: CompletionBuffer<T>

    func run(_ outcome: Outcome<T>, from source: Future<T>) {
        buffer.deliver(source, wasOutstanding: true)
    }
}
