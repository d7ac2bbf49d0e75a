/// The completion-order buffer behind ``CompletionQueue`` and ``asCompleted(_:)``.
///
/// Each pending future put in it has a callback that moves it to `ready` when it completes. A
/// future that reports done is takeable at once, even before its callback has run: a take that
/// finds nothing ready moves every done future still waiting for its callback (in put order), and
/// removes that callback. ``close()`` removes every callback that is still registered, so a queue
/// released early, or an `asCompleted` loop left early, keeps nothing alive on inputs that complete
/// later.
final class CompletionBuffer<T: Sendable>: Sendable {
    private struct Waiting {
        let future: Future<T>
        var registration: Registration?
    }

    private struct State {
        var ready = FIFOQueue<Future<T>>()
        /// Futures put while pending and not yet moved to `ready`, by put number.
        var waiting: [UInt64: Waiting] = [:]
        var nextNumber: UInt64 = 0
        var signals: [Future<Void>] = []
        var isClosed = false

        /// The signals of blocked takers, for the caller to complete after the lock.
        mutating func takeSignals() -> [Future<Void>] {
            var taken: [Future<Void>] = []
            swap(&taken, &signals)
            return taken
        }

        /// Moves the waiting futures that are done to `ready`, in put order; returns their
        /// registrations, for the caller to cancel after the lock.
        mutating func moveDone() -> [Registration] {
            let done = waiting.filter { $0.value.future.isDone }.keys.sorted()
            var registrations: [Registration] = []
            for number in done {
                guard let entry = waiting.removeValue(forKey: number) else { continue }
                ready.append(entry.future)
                if let registration = entry.registration { registrations.append(registration) }
            }
            return registrations
        }
    }

    enum Take {
        case future(Future<T>)
        case nothing
        case wait(Future<Void>)
    }

    private let state = Locked(State())

    // MARK: - Putting

    func put(_ future: Future<T>) {
        if future.isDone {
            deliver(future)
            return
        }
        let number: UInt64? = state.withLock { state in
            guard !state.isClosed else { return nil }
            let number = state.nextNumber
            state.nextNumber += 1
            state.waiting[number] = Waiting(future: future)
            return number
        }
        guard let number else { return }
        let registration = future.register(owned: ClosureCallback { [self] _ in deliver(number) })
        let kept = state.withLock { state in
            guard state.waiting[number] != nil else { return false }
            state.waiting[number]?.registration = registration
            return true
        }
        // Already delivered (nothing to remove) or closed meanwhile (remove it now).
        if !kept { registration.cancel() }
    }

    private func deliver(_ number: UInt64) {
        var entry: Waiting?
        let woken: [Future<Void>] = state.withLock { state in
            entry = state.waiting.removeValue(forKey: number)
            guard let entry else { return [] }
            state.ready.append(entry.future)
            return state.takeSignals()
        }
        withExtendedLifetime(entry) {}  // released after the lock
        for signal in woken {
            signal.complete(.success(()))
        }
    }

    private func deliver(_ future: Future<T>) {
        let woken: [Future<Void>] = state.withLock { state in
            state.ready.append(future)
            return state.takeSignals()
        }
        for signal in woken {
            signal.complete(.success(()))
        }
    }

    /// Removes every callback still registered on a pending input and forgets those inputs.
    func close() {
        var waiting: [UInt64: Waiting] = [:]
        let woken: [Future<Void>] = state.withLock { state in
            state.isClosed = true
            swap(&waiting, &state.waiting)
            return state.takeSignals()
        }
        for entry in waiting.values {
            entry.registration?.cancel()
        }
        for signal in woken {
            signal.complete(.success(()))
        }
    }

    // MARK: - Taking

    func take(orWait: Bool) -> Take {
        var moved: [Registration] = []
        let take: Take = state.withLock { state in
            if let future = state.ready.popFirst() { return .future(future) }
            moved = state.moveDone()
            if let future = state.ready.popFirst() { return .future(future) }
            guard !state.waiting.isEmpty, orWait else { return .nothing }
            let signal = Future<Void>(site: CallSite(.promise, #fileID, #line, #function))
            state.signals.append(signal)
            return .wait(signal)
        }
        for registration in moved {
            registration.cancel()
        }
        return take
    }

    func stopWaiting(_ signal: Future<Void>) {
        state.withLock { state in state.signals.removeAll { $0 === signal } }
    }

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

/// Closes its buffer when the last owner lets go: a released queue or an abandoned iteration.
final class CompletionBufferOwner<T: Sendable>: Sendable {
    let buffer = CompletionBuffer<T>()

    init() {}

    deinit {
        buffer.close()
    }
}
