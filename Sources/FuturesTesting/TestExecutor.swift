import Futures

/// A deterministic executor for tests: jobs wait in a queue until you run them, and time is
/// virtual.
///
/// Nothing runs by itself. ``run(until:advancingTime:)`` runs jobs until a future completes and
/// returns its value, in synchronous and `async` tests alike; ``runNext()`` runs one ready job,
/// ``runUntilIdle()`` runs ready jobs until none is left, and ``advance(by:)`` moves the virtual
/// clock, running each delayed job at its own deadline. No test needs to sleep.
///
/// ```swift
/// let executor = TestExecutor()
/// let doubled = Future.succeeded(21).map(on: executor) { $0 * 2 }
/// #expect(doubled.isPending)
/// #expect(try executor.run(until: doubled) == 42)
/// ```
///
/// With a seed, ``runNext()`` picks the next ready job pseudo-randomly instead of in submission
/// order, reproducibly for a given seed: run a test under many seeds to prove that its answer does
/// not depend on scheduling. Delayed jobs always run in deadline order, ties in submission order.
///
/// Cancelling a `ScheduledJob` removes the job at once: ``pendingCount`` no longer counts it and
/// the executor releases its closure.
///
/// **Threads.** The executor belongs to no thread: any thread may drive it, one at a time, and a
/// test may move between threads (as an `async` test does after each `await`). While a thread runs
/// the executor's jobs, a blocking `get` or `wait` inside one of them runs the executor's ready
/// jobs until the future completes, waits for work in flight on real executors, and otherwise
/// fails at once with `FutureError.Code.wouldDeadlock`, saying why; it never moves time. Outside
/// the executor's jobs, block on nothing that the executor must run: use
/// ``run(until:advancingTime:)``.
///
/// **Lifetime.** Stages hold their test executor weakly, so queued jobs form no cycle with it.
/// When the last reference to the executor goes, the stages that still needed it fail with
/// `FutureError.Code.abandoned`, whose message names where the executor was created and how many
/// jobs it held.
public final class TestExecutor: SchedulingExecutor, @unchecked Sendable {
    // `@unchecked`: all mutable state is in `state`, a `Locked` box. Jobs run outside the lock, and
    // closures are released outside it too (a closure may hold the last reference to a promise).
    private let state: Locked<QueueState>
    private let identity: Identity
    /// The work in flight on real executors that this executor's jobs started.
    private let scope = InFlightScope()
    /// How many calls are running this executor's jobs right now, on any thread.
    private let drivers = Locked(0)
    /// Virtual time zero: the instant the executor was created.
    private let origin: ContinuousClock.Instant

    /// Creates a test executor whose virtual clock starts at the current instant.
    ///
    /// ```swift
    /// for seed: UInt64 in 0..<100 {
    ///     let executor = TestExecutor(seed: seed)
    ///     #expect(try executor.run(until: pipeline(on: executor)) == expected)
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - seed: `nil` runs ready jobs in submission order; a seed runs them in a pseudo-random
    ///     order that the seed determines.
    ///   - fileID: Where the executor is created, named in the errors of stages it drops.
    ///   - line: The line where the executor is created.
    public init(seed: UInt64? = nil, fileID: String = #fileID, line: UInt = #line) {
        self.origin = .now
        self.state = Locked(QueueState(random: seed.map(SplitMix64.init(seed:))))
        self.identity = Identity(fileID: fileID, line: line)
        WorkInFlight.trackerCreated()
    }

    deinit {
        identity.released(withJobs: state.withLock { $0.pendingCount })
        WorkInFlight.trackerReleased()
        // The queued jobs are released with `state`, after this: a stage whose job is among them
        // fails with `.abandoned`, naming this executor.
    }

    /// The virtual time: it moves only through ``advance(by:)``, ``advance(to:)`` and
    /// ``run(until:advancingTime:)`` with `advancingTime: true`.
    ///
    /// It starts at the real instant the executor was created, so it can be compared with other
    /// `ContinuousClock` instants; print ``elapsed`` instead, which is the same on every run.
    ///
    /// ```swift
    /// let start = executor.now
    /// executor.advance(by: .seconds(3))
    /// #expect(executor.now - start == .seconds(3))
    /// ```
    public var now: ContinuousClock.Instant {
        origin + elapsed
    }

    /// The virtual time that has passed since the executor was created.
    ///
    /// ```swift
    /// executor.advance(by: .milliseconds(1500))
    /// print(executor.elapsed)  // 1.5 seconds
    /// ```
    public var elapsed: Duration {
        state.withLock { $0.elapsed }
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
        state.withLock { $0.pendingCount }
    }

    // MARK: - Submitting

    /// Queues `job` until ``runNext()``, ``runUntilIdle()``, an advance or a driver runs it.
    ///
    /// ```swift
    /// executor.execute { print("ran") }
    /// #expect(executor.pendingCount == 1)
    /// executor.runUntilIdle()  // prints "ran"
    /// ```
    ///
    /// - Parameter job: The work to run.
    public func execute(_ job: @escaping @Sendable () -> Void) {
        state.withLock { $0.append(job) }
        WorkInFlight.changed()
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
        let id = state.withLock { $0.schedule(job, after: delay) }
        WorkInFlight.changed()
        return ScheduledJob { [weak self] in self?.cancel(id) }
    }

    private func cancel(_ id: UInt64) {
        let removed = state.withLock { $0.cancel(id) }
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
        driving { runOne() }
    }

    private func runOne() -> Bool {
        guard let job = state.withLock({ $0.takeReady() }) else { return false }
        BlockingWaitHelpers.with(self) { scope.enter(job) }
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
        driving {
            var count = 0
            while runOne() { count += 1 }
            return count
        }
    }

    /// Runs `body` counted as a driver, so that blocking waits elsewhere know jobs are running.
    private func driving<R>(_ body: () throws -> R) rethrows -> R {
        drivers.withLock { $0 += 1 }
        defer { drivers.withLock { $0 -= 1 } }
        return try body()
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
        advance(toElapsed: elapsed + duration)
    }

    /// Moves the virtual clock forward to `instant`; see ``advance(by:)``.
    ///
    /// ```swift
    /// executor.advance(to: executor.now + .seconds(5))
    /// ```
    ///
    /// - Parameter instant: The target time; an instant in the past only runs what is due now.
    public func advance(to instant: ContinuousClock.Instant) {
        advance(toElapsed: instant - origin)
    }

    private func advance(toElapsed target: Duration) {
        driving {
            let key = TimerKey(deadline: target, id: .max)
            runUntilIdle()
            while runTimer(dueBy: key) {
                runUntilIdle()
            }
            state.withLock { $0.moveClock(to: target) }
        }
    }

    /// Runs the next timer due by `target`, at its deadline; returns whether one ran.
    ///
    /// The job's closure is released before this returns, so whatever its release triggers (a
    /// promise it held being abandoned, say) happens at the job's own deadline.
    private func runTimer(dueBy target: TimerKey) -> Bool {
        guard let job = state.withLock({ $0.takeTimer(dueBy: target) }) else { return false }
        BlockingWaitHelpers.with(self) { scope.enter(job) }
        return true
    }

    // MARK: - Driving

    /// Runs jobs until `future` completes, then returns its value or throws its error.
    ///
    /// The call to use in tests, synchronous or `async`, from any thread. It runs the ready jobs
    /// (and the ones they submit). When none is ready but work that the futures API handed to a
    /// real executor (a `ThreadPoolExecutor` or `DispatchQueue` stage) is still running, it waits
    /// for that work. With `advancingTime: true`, when nothing is ready or in flight, it moves the
    /// virtual clock to the next deadline and runs the job due there, and so on, so retries,
    /// delays and timeouts play out in virtual time.
    ///
    /// If the executor goes idle with the future still pending (no ready job, no work in flight,
    /// and no timer, or `advancingTime` is `false`), it throws at once a
    /// `FutureError` with code `.wouldDeadlock` whose message says so and names the next
    /// deadline, if any.
    ///
    /// ```swift
    /// @Test func retriesUntilTheServiceAnswers() async throws {
    ///     let executor = TestExecutor()
    ///     let reply = retry(attempts: 3, backoff: .constant(.seconds(1)), on: executor) { ping() }
    ///         .timeout(after: .seconds(10), on: executor)
    ///     await Task.yield()
    ///     #expect(try executor.run(until: reply, advancingTime: true) == "pong")
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - future: The future to drive to completion.
    ///   - advancingTime: Whether to move virtual time from deadline to deadline when nothing
    ///     else is left to run; `false` never moves time.
    /// - Returns: The future's value.
    /// - Throws: The future's error, or a `FutureError` with code `.wouldDeadlock` if the
    ///   executor went idle with the future pending.
    @discardableResult
    public func run<Value: Sendable>(until future: Future<Value>, advancingTime: Bool = false) throws -> Value {
        let token = future.registerWakeUp { WorkInFlight.changed() }
        defer { future.removeWakeUp(token) }
        return try driving { try drive(until: future, advancingTime: advancingTime) }
    }

    private func drive<Value: Sendable>(until future: Future<Value>, advancingTime: Bool) throws -> Value {
        while true {
            if let result = future.result { return try result.get() }
            if runOne() { continue }
            let waiting = { !future.isDone && !self.hasReadyJob }
            if WorkInFlight.waitForChange(in: scope, includingUnscoped: false, while: waiting) { continue }
            if advancingTime, runNextTimer() { continue }
            if WorkInFlight.waitForChange(in: scope, includingUnscoped: true, while: waiting) { continue }
            if let result = future.result { return try result.get() }
            throw FutureError(code: .wouldDeadlock, message: idleMessage(advancingTime: advancingTime))
        }
    }

    /// Runs every job, moving virtual time from deadline to deadline, until no job and no timer
    /// is left; returns how many jobs ran.
    ///
    /// Waits, as ``run(until:advancingTime:)`` does, for work in flight on real executors. A job
    /// that always schedules another one keeps it running forever; drive such pipelines with
    /// ``run(until:advancingTime:)`` or ``advance(by:)`` instead.
    ///
    /// ```swift
    /// let late = Future.succeeded(1, after: .seconds(5), on: executor)
    /// executor.run()
    /// #expect(late.isSucceeded && executor.elapsed == .seconds(5))
    /// ```
    ///
    /// - Returns: How many jobs ran.
    @discardableResult
    public func run() -> Int {
        driving { runToEnd() }
    }

    private func runToEnd() -> Int {
        var count = 0
        while true {
            if runOne() {
                count += 1
                continue
            }
            let waiting = { !self.hasReadyJob }
            if WorkInFlight.waitForChange(in: scope, includingUnscoped: false, while: waiting) { continue }
            if runNextTimer() {
                count += 1
                continue
            }
            if WorkInFlight.waitForChange(in: scope, includingUnscoped: true, while: waiting) { continue }
            return count
        }
    }

    private var hasReadyJob: Bool {
        state.withLock { $0.hasReadyJob }
    }

    /// Moves the clock to the earliest deadline and runs the job due there; `false` if none.
    private func runNextTimer() -> Bool {
        guard let next = state.withLock({ $0.nextDeadline() }) else { return false }
        return runTimer(dueBy: TimerKey(deadline: next, id: .max))
    }

    private func idleMessage(advancingTime: Bool) -> String {
        let (now, next) = state.withLock { ($0.elapsed, $0.nextDeadline()) }
        var message =
            "\(identity) went idle at \(now) of virtual time with the future still pending: no job is ready and no "
            + "work is in flight"
        if let next {
            message +=
                advancingTime
                ? "" : "; the next timer is due at \(next) (pass advancingTime: true, or call advance(by:) first)"
        } else {
            message += " and no timer is scheduled, so nothing left can complete the future"
        }
        return message
    }
}

// MARK: - Blocking waits

extension TestExecutor: BlockingWaitHelper {
    package func blockingWait(
        isDone: () -> Bool,
        registerWakeUp: (@escaping @Sendable () -> Void) -> Void,
        deadline: ContinuousClock.Instant?
    ) -> BlockingWaitOutcome {
        var registered = false
        while !isDone() {
            if runOne() { continue }
            if !registered {
                registerWakeUp { WorkInFlight.changed() }
                registered = true
            }
            if let deadline, deadline <= .now { return isDone() ? .satisfied : .timedOut }
            let inFlight = WorkInFlight.waitForChange(in: scope, includingUnscoped: true, until: deadline) {
                !isDone() && !hasReadyJob
            }
            if !inFlight { return isDone() ? .satisfied : .wouldDeadlock }
        }
        return .satisfied
    }

    package var deadlockExplanation: String? {
        let (now, next) = state.withLock { ($0.elapsed, $0.nextDeadline()) }
        let timer = next.map { "its next timer is due at \($0)" } ?? "it has no timer"
        return "a blocking wait inside a job of \(identity), at \(now) of virtual time, found no ready job and no "
            + "work in flight, and \(timer); a blocking wait never moves virtual time: return a future from the "
            + "job instead, or drive the pipeline with run(until:advancingTime:)"
    }
}

// MARK: - Lifetime

extension TestExecutor: WeaklyHeldExecutor {
    package var releaseDescription: @Sendable () -> String {
        { [identity] in identity.releaseDescription }
    }

    package var isBeingDriven: Bool {
        drivers.withLock { $0 > 0 }
    }

    package var undrivenWaitDescription: String {
        "the future waits for a job queued on \(identity), and no thread is running that executor's jobs: "
            + "drive it with executor.run(until: future) instead of blocking (or call runUntilIdle() or "
            + "advance(by:) first)"
    }
}

/// Where a test executor was created and how many jobs it held when released; outlives it.
private final class Identity: Sendable, CustomStringConvertible {
    let fileID: String
    let line: UInt
    private let jobsAtRelease = Locked<Int?>(nil)

    init(fileID: String, line: UInt) {
        self.fileID = fileID
        self.line = line
    }

    var description: String { "the TestExecutor created at \(fileID):\(line)" }

    func released(withJobs count: Int) {
        jobsAtRelease.withLock { $0 = count }
    }

    var releaseDescription: String {
        switch jobsAtRelease.withLock({ $0 }) {
        case nil: "\(self) was released"
        case 1?: "\(self) was released with 1 job queued"
        case let count?: "\(self) was released with \(count) jobs queued"
        }
    }
}

// MARK: - Queue state

/// The jobs of a test executor and its virtual clock; always accessed under its lock.
private struct QueueState {
    private enum ReadyEntry {
        case plain(@Sendable () -> Void)
        case cancellable(UInt64)
    }

    private struct CancellableJob {
        let job: @Sendable () -> Void
        let isTimer: Bool
    }

    /// Ready jobs in submission order.
    private var ready = FIFOQueue<ReadyEntry>()
    /// How many `.plain` entries `ready` holds.
    private var plainReadyCount = 0
    /// Jobs that can be cancelled and have not run, by id.
    ///
    /// Zero-delay ones are also listed in `ready`, delayed ones in `timers`. Cancelling removes
    /// the entry; the id left behind in `ready` or `timers` is skipped.
    private var cancellable: [UInt64: CancellableJob] = [:]
    private var liveTimerCount = 0
    private var timers = TimerHeap()
    private var lastID: UInt64 = 0
    /// Virtual time elapsed since the executor was created.
    ///
    /// Kept as a `Duration`, whose layout is fixed, rather than as an `Instant`, whose every copy
    /// and comparison goes through a witness table.
    private(set) var elapsed: Duration = .zero
    private var random: SplitMix64?

    init(random: SplitMix64?) {
        self.random = random
    }

    var pendingCount: Int { plainReadyCount + cancellable.count }

    var hasReadyJob: Bool { plainReadyCount + cancellable.count - liveTimerCount > 0 }

    mutating func append(_ job: @escaping @Sendable () -> Void) {
        ready.append(.plain(job))
        plainReadyCount += 1
    }

    mutating func schedule(_ job: @escaping @Sendable () -> Void, after delay: Duration) -> UInt64 {
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

    /// Removes a job that has not run; returns its closure, for the caller to release.
    mutating func cancel(_ id: UInt64) -> (@Sendable () -> Void)? {
        guard let removed = cancellable.removeValue(forKey: id) else { return nil }
        if removed.isTimer {
            liveTimerCount -= 1
            if timers.count > 64 && timers.count > 2 * liveTimerCount {
                let live = cancellable
                timers.removeAll { live[$0.id] == nil }
            }
        }
        return removed.job
    }

    mutating func moveClock(to target: Duration) {
        if target > elapsed { elapsed = target }
    }

    /// The earliest deadline of a live delayed job, as virtual time elapsed.
    mutating func nextDeadline() -> Duration? {
        while let first = timers.first {
            if cancellable[first.id] != nil { return first.deadline }
            timers.removeFirst()
        }
        return nil
    }

    /// Removes and returns the next ready job that was not cancelled.
    mutating func takeReady() -> (@Sendable () -> Void)? {
        while !ready.isEmpty {
            if var random, ready.count > 1 {
                let offset = Int(random.next() % UInt64(ready.count))
                self.random = random
                ready.swapFirst(withOffset: offset)
            }
            guard let entry = ready.popFirst() else { break }
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

    /// Removes the earliest live delayed job due by `target`, moving the clock to its deadline.
    mutating func takeTimer(dueBy target: TimerKey) -> (@Sendable () -> Void)? {
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
