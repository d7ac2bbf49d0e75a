import Futures

// All mutable state is guarded by `lock`; jobs run outside it.
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
/// not depend on scheduling.
///
/// A blocking `get` or `wait` made on the thread that created the executor, on a future that is
/// still pending, runs this executor's ready jobs until the future completes; if none is left it
/// fails at once with `FutureError.Code.wouldDeadlock` instead of hanging.
public final class TestExecutor: SchedulingExecutor, @unchecked Sendable {
    private let lock = Lock()
    private var ready: [Job] = []
    private var readyHead = 0
    private var scheduled: [ScheduledEntry] = []
    private var sequence: UInt64 = 0
    private var virtualNow: ContinuousClock.Instant
    private var random: SplitMix64?

    private struct Job {
        let job: @Sendable () -> Void
        let cancelled: CancelFlag?
    }

    private struct ScheduledEntry {
        let deadline: ContinuousClock.Instant
        let sequence: UInt64
        let job: @Sendable () -> Void
        let cancelled: CancelFlag
    }

    /// Creates a test executor whose virtual clock starts at the current instant.
    ///
    /// - Parameter seed: `nil` runs ready jobs in submission order; a seed runs them in a
    ///   pseudo-random order that the seed determines.
    public init(seed: UInt64? = nil) {
        self.virtualNow = .now
        self.random = seed.map(SplitMix64.init(seed:))
        BlockingWaitHelpers.install(self)
    }

    /// The virtual time: it moves only through ``advance(by:)`` and ``advance(to:)``.
    public var now: ContinuousClock.Instant {
        lock.withLock { virtualNow }
    }

    /// The number of jobs waiting: ready ones and delayed ones not cancelled.
    public var pendingCount: Int {
        lock.withLock {
            (ready.count - readyHead) + scheduled.lazy.filter { !$0.cancelled.isSet }.count
        }
    }

    /// Queues `job` until ``runNext()``, ``runUntilIdle()`` or an advance runs it.
    ///
    /// - Parameter job: The work to run.
    public func execute(_ job: @escaping @Sendable () -> Void) {
        lock.withLock { ready.append(Job(job: job, cancelled: nil)) }
    }

    /// Queues `job` to run when the virtual clock reaches ``now`` plus `delay`.
    ///
    /// A zero or negative delay makes the job ready at once.
    ///
    /// - Parameters:
    ///   - delay: How far in virtual time to wait.
    ///   - job: The work to run.
    /// - Returns: A handle that cancels the job if it has not run.
    @discardableResult
    public func execute(after delay: Duration, _ job: @escaping @Sendable () -> Void) -> ScheduledJob {
        let flag = CancelFlag()
        lock.withLock {
            if delay <= .zero {
                ready.append(Job(job: job, cancelled: flag))
            } else {
                sequence += 1
                scheduled.append(
                    ScheduledEntry(deadline: virtualNow + delay, sequence: sequence, job: job, cancelled: flag))
            }
        }
        return ScheduledJob { flag.set() }
    }

    /// Runs one ready job, if there is one; never moves time.
    ///
    /// - Returns: Whether a job ran.
    @discardableResult
    public func runNext() -> Bool {
        while true {
            let next: Job? = lock.withLock { takeReady() }
            guard let next else { return false }
            if next.cancelled?.isSet == true { continue }
            next.job()
            return true
        }
    }

    /// Runs ready jobs, including the ones they submit, until none is left; never moves time.
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
    /// too; jobs due at the same instant run in submission order.
    ///
    /// - Parameter duration: How far to move; zero runs what is due now, negative is an error.
    public func advance(by duration: Duration) {
        precondition(duration >= .zero, "TestExecutor.advance(by:) needs a non-negative duration, got \(duration).")
        advance(to: now + duration)
    }

    /// Moves the virtual clock forward to `instant`; see ``advance(by:)``.
    ///
    /// - Parameter instant: The target time; an instant in the past only runs what is due now.
    public func advance(to instant: ContinuousClock.Instant) {
        runUntilIdle()
        while true {
            let due: ScheduledEntry? = lock.withLock {
                let live = scheduled.indices.filter { !scheduled[$0].cancelled.isSet }
                scheduled = live.map { scheduled[$0] }
                guard
                    let index = scheduled.indices.min(by: {
                        (scheduled[$0].deadline, scheduled[$0].sequence) < (
                            scheduled[$1].deadline, scheduled[$1].sequence
                        )
                    }),
                    scheduled[index].deadline <= instant
                else { return nil }
                let entry = scheduled.remove(at: index)
                if entry.deadline > virtualNow { virtualNow = entry.deadline }
                return entry
            }
            guard let due else { break }
            if !due.cancelled.isSet { due.job() }
            runUntilIdle()
        }
        lock.withLock {
            if instant > virtualNow { virtualNow = instant }
        }
    }

    private func takeReady() -> Job? {
        let count = ready.count - readyHead
        guard count > 0 else { return nil }
        if var random, count > 1 {
            let offset = Int(random.next() % UInt64(count))
            self.random = random
            ready.swapAt(readyHead, readyHead + offset)
        }
        let job = ready[readyHead]
        readyHead += 1
        if readyHead == ready.count {
            ready.removeAll(keepingCapacity: true)
            readyHead = 0
        }
        return job
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
                return isDone() ? .satisfied : .wouldDeadlock
            }
        }
        return .satisfied
    }
}

// MARK: - Support

/// A small, fast, seedable pseudo-random generator (SplitMix64).
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
