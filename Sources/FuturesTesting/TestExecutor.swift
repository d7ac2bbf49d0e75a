import Futures

// All mutable state is guarded by `lock`. Jobs run outside it, and closures are released outside
// it too (a closure may hold the last reference to a promise, whose release runs callbacks).
/// A deterministic executor for tests: jobs wait in a queue until you run them, and time is
/// virtual.
///
/// Nothing runs by itself. ``runNext()`` runs one ready job, ``runUntilIdle()`` runs ready jobs
/// until none is left, and ``advance(by:)`` moves the virtual clock, running each delayed job at
/// its own deadline. No test needs to sleep.
///
/// ```swift
/// let executor = TestExecutor()
/// let doubled = Future.succeeded(21).map(on: executor) { $0 * 2 }
/// #expect(doubled.isPending)
/// executor.runUntilIdle()
/// #expect(try doubled.get() == 42)
/// ```
///
/// With a seed, ``runNext()`` picks the next ready job pseudo-randomly instead of in submission
/// order, reproducibly for a given seed: run a test under many seeds to prove that its answer does
/// not depend on scheduling. Delayed jobs always run in deadline order, ties in submission order.
///
/// Cancelling a `ScheduledJob` removes the job at once: ``pendingCount`` no longer counts it and
/// the executor releases its closure.
///
/// A blocking `get` or `wait` made on the thread that created the executor, on a future that is
/// still pending, runs this executor's ready jobs until the future completes. If none is left, a
/// wait without a timeout fails at once with `FutureError.Code.wouldDeadlock` instead of hanging;
/// a wait with a timeout waits for real, since another thread may still complete the future. It
/// never moves time.
public final class TestExecutor: SchedulingExecutor, @unchecked Sendable {
    private let lock = Lock()
    /// Ready jobs in submission order, from `readyHead` on.
    private var ready: [ReadyEntry] = []
    private var readyHead = 0
    /// How many `.plain` entries `ready` holds from `readyHead` on.
    private var plainReadyCount = 0
    /// Jobs that can be cancelled and have not run, by id.
    ///
    /// Zero-delay ones are also listed in `ready`, delayed ones in `timers`. Cancelling removes
    /// the entry; the id left behind in `ready` or `timers` is skipped.
    private var cancellable: [UInt64: CancellableJob] = [:]
    private var liveTimerCount = 0
    private var timers = TimerHeap()
    private var lastID: UInt64 = 0
    /// Virtual time zero: the instant the executor was created.
    private let origin: ContinuousClock.Instant
    /// Virtual time elapsed since `origin`.
    ///
    /// Kept as a `Duration`, whose layout is fixed, rather than as an `Instant`, whose every copy
    /// and comparison goes through a witness table.
    private var elapsed: Duration = .zero
    private var random: SplitMix64?

    private enum ReadyEntry {
        case plain(@Sendable () -> Void)
        case cancellable(UInt64)
    }

    private struct CancellableJob {
        let job: @Sendable () -> Void
        let isTimer: Bool
    }

    /// Creates a test executor whose virtual clock starts at the current instant.
    ///
    /// ```swift
    /// for seed: UInt64 in 0..<100 {
    ///     let executor = TestExecutor(seed: seed)
    ///     #expect(try pipeline(on: executor).get() == expected)
    /// }
    /// ```
    ///
    /// - Parameter seed: `nil` runs ready jobs in submission order; a seed runs them in a
    ///   pseudo-random order that the seed determines.
    public init(seed: UInt64? = nil) {
        self.origin = .now
        self.random = seed.map(SplitMix64.init(seed:))
        BlockingWaitHelpers.install(self)
    }

    /// The virtual time: it moves only through ``advance(by:)`` and ``advance(to:)``.
    ///
    /// ```swift
    /// let start = executor.now
    /// executor.advance(by: .seconds(3))
    /// #expect(executor.now - start == .seconds(3))
    /// ```
    public var now: ContinuousClock.Instant {
        origin + lock.withLock { elapsed }
    }

    /// The number of jobs waiting: ready ones and delayed ones, not counting cancelled ones.
    ///
    /// ```swift
    /// let job = executor.execute(after: .seconds(1)) {}
    /// #expect(executor.pendingCount == 1)
    /// job.cancel()
    /// #expect(executor.pendingCount == 0)
    /// ```
    public var pendingCount: Int {
        lock.withLock { plainReadyCount + cancellable.count }
    }

    // MARK: - Submitting

    /// Queues `job` until ``runNext()``, ``runUntilIdle()`` or an advance runs it.
    ///
    /// ```swift
    /// executor.execute { print("ran") }
    /// #expect(executor.pendingCount == 1)
    /// executor.runUntilIdle()  // prints "ran"
    /// ```
    ///
    /// - Parameter job: The work to run.
    public func execute(_ job: @escaping @Sendable () -> Void) {
        lock.withLock {
            ready.append(.plain(job))
            plainReadyCount += 1
        }
    }

    /// Queues `job` to run when the virtual clock reaches ``now`` plus `delay`.
    ///
    /// A zero or negative delay makes the job ready at once, like ``execute(_:)``.
    ///
    /// ```swift
    /// executor.execute(after: .seconds(2)) { print("fired") }
    /// executor.advance(by: .seconds(1))  // nothing runs
    /// executor.advance(by: .seconds(1))  // prints "fired"
    /// ```
    ///
    /// - Parameters:
    ///   - delay: How far in virtual time to wait.
    ///   - job: The work to run.
    /// - Returns: A handle that removes the job if it has not run.
    @discardableResult
    public func execute(after delay: Duration, _ job: @escaping @Sendable () -> Void) -> ScheduledJob {
        let id: UInt64 = lock.withLock {
            lastID += 1
            if delay <= .zero {
                cancellable[lastID] = CancellableJob(job: job, isTimer: false)
                ready.append(.cancellable(lastID))
            } else {
                cancellable[lastID] = CancellableJob(job: job, isTimer: true)
                liveTimerCount += 1
                timers.insert(TimerKey(deadline: elapsed + delay, id: lastID))
            }
            return lastID
        }
        return ScheduledJob { [weak self] in self?.cancel(id) }
    }

    private func cancel(_ id: UInt64) {
        let removed: CancellableJob? = lock.withLock {
            guard let removed = cancellable.removeValue(forKey: id) else { return nil }
            if removed.isTimer {
                liveTimerCount -= 1
                if timers.count > 64 && timers.count > 2 * liveTimerCount {
                    timers.removeAll { cancellable[$0.id] == nil }
                }
            }
            return removed
        }
        _ = removed  // released here, outside the lock
    }

    // MARK: - Running

    /// Runs one ready job, if there is one; never moves time.
    ///
    /// ```swift
    /// executor.execute { print("first") }
    /// executor.execute { print("second") }
    /// executor.runNext()  // prints "first"; "second" still waits
    /// ```
    ///
    /// - Returns: Whether a job ran.
    @discardableResult
    public func runNext() -> Bool {
        guard let job = lock.withLock({ takeReady() }) else { return false }
        job()
        return true
    }

    /// Runs ready jobs, including the ones they submit, until none is left; never moves time.
    ///
    /// ```swift
    /// let doubled = Future.succeeded(21).map(on: executor) { $0 * 2 }
    /// executor.runUntilIdle()
    /// #expect(doubled.isSucceeded)
    /// ```
    ///
    /// - Returns: How many jobs ran.
    @discardableResult
    public func runUntilIdle() -> Int {
        var count = 0
        while runNext() { count += 1 }
        return count
    }

    /// Moves the virtual clock forward by `duration`, running ready jobs and each delayed job that
    /// falls due, at its own deadline.
    ///
    /// Inside a delayed job, ``now`` is that job's deadline. Jobs submitted within the window run
    /// too, delayed ones included if they fall due before the end; jobs due at the same instant run
    /// in submission order. After each delayed job, the ready jobs run before the clock moves on.
    ///
    /// ```swift
    /// let late = Future.succeeded(1, after: .seconds(5), on: executor)
    /// executor.advance(by: .seconds(5))
    /// #expect(late.isSucceeded)
    /// ```
    ///
    /// - Parameter duration: How far to move; zero runs what is due now, negative is an error.
    public func advance(by duration: Duration) {
        precondition(duration >= .zero, "TestExecutor.advance(by:) needs a non-negative duration, got \(duration).")
        advance(to: now + duration)
    }

    /// Moves the virtual clock forward to `instant`; see ``advance(by:)``.
    ///
    /// ```swift
    /// executor.advance(to: executor.now + .seconds(5))
    /// ```
    ///
    /// - Parameter instant: The target time; an instant in the past only runs what is due now.
    public func advance(to instant: ContinuousClock.Instant) {
        let target = TimerKey(deadline: instant - origin, id: .max)
        runUntilIdle()
        while runTimer(dueBy: target) {
            runUntilIdle()
        }
        lock.withLock {
            if target.deadline > elapsed { elapsed = target.deadline }
        }
    }

    /// Runs the next timer due by `target`, at its deadline; returns whether one ran.
    ///
    /// The job's closure is released before this returns, so whatever its release triggers (a
    /// promise it held being abandoned, say) happens at the job's own deadline.
    private func runTimer(dueBy target: TimerKey) -> Bool {
        guard let job = lock.withLock({ takeTimer(dueBy: target) }) else { return false }
        job()
        return true
    }

    /// Removes and returns the next ready job that was not cancelled; called under the lock.
    private func takeReady() -> (@Sendable () -> Void)? {
        while readyHead < ready.count {
            let count = ready.count - readyHead
            if var random, count > 1 {
                let offset = Int(random.next() % UInt64(count))
                self.random = random
                ready.swapAt(readyHead, readyHead + offset)
            }
            let entry = ready[readyHead]
            readyHead += 1
            if readyHead == ready.count {
                ready.removeAll(keepingCapacity: ready.count <= 1024)
                readyHead = 0
            }
            switch entry {
            case .plain(let job):
                plainReadyCount -= 1
                return job
            case .cancellable(let id):
                if let live = cancellable.removeValue(forKey: id) { return live.job }
            }
        }
        return nil
    }

    /// Removes the earliest live delayed job due by `instant`, moving the clock to its deadline;
    /// called under the lock.
    private func takeTimer(dueBy target: TimerKey) -> (@Sendable () -> Void)? {
        while let first = timers.first {
            guard let live = cancellable[first.id] else {
                timers.removeFirst()
                continue
            }
            guard first.precedes(target) else { return nil }
            timers.removeFirst()
            cancellable[first.id] = nil
            liveTimerCount -= 1
            if first.deadline > elapsed { elapsed = first.deadline }
            return live.job
        }
        return nil
    }
}

// MARK: - Blocking waits

extension TestExecutor: BlockingWaitHelper {
    package func blockingWait(
        isDone: () -> Bool,
        registerWakeUp: (@escaping @Sendable () -> Void) -> Void,
        deadline: ContinuousClock.Instant?
    ) -> BlockingWaitOutcome {
        while !isDone() {
            if !runNext() {
                if isDone() { return .satisfied }
                // Nothing left here can complete it. Without a deadline the wait would never end;
                // with one, another thread may still complete it, and the wait ends anyway.
                return deadline == nil ? .wouldDeadlock : .notHandled
            }
        }
        return .satisfied
    }
}
