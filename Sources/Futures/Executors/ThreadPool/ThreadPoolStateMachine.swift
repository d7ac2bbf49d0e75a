/// The state of a ``ThreadPoolExecutor``: its ready queue, its delayed jobs and its lifecycle.
///
/// Every event runs under the pool's lock and returns what the caller must do once it has
/// released it (wake a thread, run a job, wait); no event runs a job itself.
struct ThreadPoolStateMachine {
    enum Lifecycle {
        /// Accepting work.
        case running
        /// Refusing new work; threads run what is queued or delayed, then exit.
        case shuttingDown
        /// Every thread has exited.
        case terminated
    }

    enum SubmitAction {
        /// Wake one waiting thread.
        case wakeOne
        /// No thread waits; a busy one will find the job.
        case none
        /// The pool has shut down and took nothing.
        case refused
    }

    enum NextAction {
        case run(@Sendable () -> Void)
        /// Sleep until woken, or until the instant (the next delayed job's deadline).
        case wait(until: ContinuousClock.Instant?)
        /// Shut down and nothing is left: the thread exits.
        case exit
    }

    private(set) var lifecycle = Lifecycle.running
    private var ready = FIFOQueue<QueuedJob>()
    private var delayed = DelayedJobHeap()
    private var liveThreads: Int
    /// Threads sleeping on the work condition: idle workers and workers blocked in a wait.
    private var waitingThreads = 0
    /// Sleeping threads already signalled but not yet awake: a burst of submissions signals each
    /// sleeper once, not once per job.
    private var signalledThreads = 0

    init(threadCount: Int) {
        liveThreads = threadCount
    }

    // MARK: - Events

    /// Queues `job`; `cancel`, if given, is what ``shutdown(cancellingPendingWork:)`` calls instead
    /// of running it (the job of `Future.async` work, which cancels its future).
    mutating func submit(
        _ job: @escaping @Sendable () -> Void,
        cancel: (@Sendable (CallSite) -> Void)? = nil
    ) -> SubmitAction {
        guard case .running = lifecycle else { return .refused }
        ready.append(QueuedJob(run: job, cancel: cancel))
        return wakeOne()
    }

    /// Schedules a delayed job; wakes a thread if it is now the earliest, so that it re-times its wait.
    mutating func schedule(_ entry: DelayedJob) -> SubmitAction {
        guard case .running = lifecycle else { return .refused }
        let isEarliest = delayed.insert(entry)
        return isEarliest ? wakeOne() : .none
    }

    private mutating func wakeOne() -> SubmitAction {
        guard waitingThreads > signalledThreads else { return .none }
        signalledThreads += 1
        return .wakeOne
    }

    /// Called by a blocked wait that is leaving: if it took a wake-up meant for a job, pass it on.
    mutating func handOff() -> Bool {
        !ready.isEmpty && wakeOne() == .wakeOne
    }

    /// Cancels a delayed job that has not started; returns whether the threads must re-check
    /// (the pool may now have nothing left and be able to terminate).
    mutating func cancel(_ token: DelayedJobToken) -> Bool {
        guard token.state == .scheduled else { return false }
        token.state = .cancelled
        delayed.noteCancelled()
        return lifecycle == .shuttingDown && delayed.liveCount == 0 && ready.isEmpty
    }

    /// Picks the next job for a worker; `now` is read only when a delayed job exists.
    ///
    /// A blocked wait (`isHelping`) never exits: the awaited future may still complete.
    mutating func next(now: () -> ContinuousClock.Instant, isHelping: Bool = false) -> NextAction {
        if let job = ready.popFirst() { return .run(job.run) }
        if let earliest = delayed.earliestLiveDeadline {
            let current = now()
            if earliest <= current, let entry = delayed.popFirst() {
                entry.token.state = .started
                return .run(entry.job)
            }
            return .wait(until: earliest)
        }
        if lifecycle == .shuttingDown && !isHelping { return .exit }
        return .wait(until: nil)
    }

    mutating func willWait() { waitingThreads += 1 }

    mutating func didWait() {
        waitingThreads -= 1
        if signalledThreads > 0 { signalledThreads -= 1 }
    }

    /// Returns whether threads must be woken (sleeping ones exit if nothing is left) and, when
    /// `cancellingPendingWork`, the queued jobs that can be cancelled, taken out of the queue: the
    /// caller cancels and releases them after unlocking.
    mutating func shutdown(cancellingPendingWork: Bool) -> (wake: Bool, cancelled: [QueuedJob]) {
        let cancelled = cancellingPendingWork && lifecycle != .terminated ? ready.removeAll { $0.cancel != nil } : []
        guard case .running = lifecycle else { return (!cancelled.isEmpty, cancelled) }
        lifecycle = .shuttingDown
        return (true, cancelled)
    }

    /// Records that a worker exited; returns whether the pool has now terminated.
    mutating func threadExited() -> Bool {
        liveThreads -= 1
        guard liveThreads == 0 else { return false }
        lifecycle = .terminated
        return true
    }
}

// MARK: - Ready queue

/// A queued job, and what cancels it instead if the pool shuts down cancelling its pending work.
struct QueuedJob {
    let run: @Sendable () -> Void
    /// `nil` for a plain job, which always runs.
    let cancel: (@Sendable (CallSite) -> Void)?
}
