#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The machinery of a ``ThreadPoolExecutor``: its threads, its lock and its state machine.
///
/// The worker threads retain the core, not the public executor, so that releasing the last
/// reference to the executor shuts it down.
// `machine` and `sequence` are read and written only while holding `lock`; jobs, callbacks and
// user code always run after the lock is released.
final class ThreadPoolCore: @unchecked Sendable {
    static let workCondition = 0
    static let terminationCondition = 1

    let threadCount: Int
    let lock = ConditionLock(conditionCount: 2)
    private var machine: ThreadPoolStateMachine
    private var sequence: UInt64 = 0

    init(threadCount: Int) {
        self.threadCount = threadCount
        self.machine = ThreadPoolStateMachine(threadCount: threadCount)
    }

    func start() {
        for index in 0..<threadCount {
            startThread(number: index)
        }
    }

    // MARK: - Submitting

    /// Queues `job`; returns `false` without queueing it after shutdown.
    ///
    /// `cancel`, if given, runs instead of `job` if the pool shuts down cancelling its pending
    /// work before `job` starts.
    func submit(_ job: @escaping @Sendable () -> Void, cancel: (@Sendable (CallSite) -> Void)? = nil) -> Bool {
        let action = lock.withLock { machine.submit(job, cancel: cancel) }
        switch action {
        case .wakeOne: lock.signal(Self.workCondition)
        case .none: break
        case .refused: return false
        }
        return true
    }

    /// Queues `job` to run at `deadline`; returns `nil` without queueing it after shutdown.
    func schedule(at deadline: ContinuousClock.Instant, _ job: @escaping @Sendable () -> Void) -> DelayedJobToken? {
        let token = DelayedJobToken()
        let action = lock.withLock {
            sequence += 1
            return machine.schedule(DelayedJob(deadline: deadline, sequence: sequence, job: job, token: token))
        }
        switch action {
        case .wakeOne: lock.signal(Self.workCondition)
        case .none: break
        case .refused: return nil
        }
        return token
    }

    func cancel(_ token: DelayedJobToken) {
        if lock.withLock({ machine.cancel(token) }) {
            lock.broadcast(Self.workCondition)
        }
    }

    // MARK: - Lifecycle

    var isShutDown: Bool {
        lock.withLock { machine.lifecycle != .running }
    }

    var isTerminated: Bool {
        lock.withLock { machine.lifecycle == .terminated }
    }

    /// Shuts the pool down; given a `site`, the queued jobs that can be cancelled are cancelled
    /// at that site instead of running, on the calling thread, in queue order.
    func shutdown(cancellingPendingWorkAt site: CallSite? = nil) {
        let (wake, cancelled) = lock.withLock { machine.shutdown(cancellingPendingWork: site != nil) }
        if wake { lock.broadcast(Self.workCondition) }
        if let site {
            for job in cancelled { job.cancel?(site) }
        }
    }

    /// Waits until every thread has exited or `deadline` passes; returns whether they have.
    func awaitTermination(until deadline: ContinuousClock.Instant?) -> Bool {
        lock.withLock {
            while machine.lifecycle != .terminated {
                if let deadline, deadline <= .now { return false }
                lock.wait(Self.terminationCondition, until: deadline)
            }
            return true
        }
    }

    /// Whether the calling thread is one of this pool's workers.
    var isCurrentThreadAWorker: Bool {
        BlockingWaitHelpers.current.contains { $0 === self }
    }

    // MARK: - Workers

    private func startThread(number: Int) {
        let context = Unmanaged.passRetained(WorkerStart(core: self, number: number)).toOpaque()
        #if canImport(Darwin)
        var thread: pthread_t?
        #else
        var thread = pthread_t()
        #endif
        let rc = pthread_create(&thread, nil, workerEntryPoint, context)
        precondition(rc == 0, "ThreadPoolExecutor could not start a thread: pthread_create failed with \(rc).")
        #if canImport(Darwin)
        if let thread { pthread_detach(thread) }
        #else
        pthread_detach(thread)
        #endif
    }

    /// The loop of a worker thread: run jobs until the pool shuts down and nothing is left.
    func runWorker() {
        BlockingWaitHelpers.install(self)
        defer { BlockingWaitHelpers.uninstall(self) }
        lock.lock()
        while true {
            switch machine.next(now: { .now }) {
            case .run(let job):
                lock.unlock()
                job()
                lock.lock()
            case .wait(let deadline):
                machine.willWait()
                lock.wait(Self.workCondition, until: deadline)
                machine.didWait()
            case .exit:
                let terminated = machine.threadExited()
                lock.unlock()
                // Others may be asleep with nothing left to do: let them see it and exit too.
                lock.broadcast(Self.workCondition)
                if terminated { lock.broadcast(Self.terminationCondition) }
                return
            }
        }
    }
}

// MARK: - Blocking waits

extension ThreadPoolCore: BlockingWaitHelper {
    /// Runs this pool's jobs on the blocked worker until the awaited future completes.
    ///
    /// With nothing to run, the worker sleeps until the future completes, a job arrives, a delayed
    /// job falls due or the deadline passes.
    func blockingWait(
        isDone: () -> Bool,
        registerWakeUp: (@escaping @Sendable () -> Void) -> Void,
        deadline: ContinuousClock.Instant?
    ) -> BlockingWaitOutcome {
        let wake = WakeUp()
        registerWakeUp { [lock] in
            lock.withLock { wake.isSet = true }
            lock.broadcast(Self.workCondition)
        }
        var hasSlept = false
        defer {
            // A signal meant for a new job may have woken this thread rather than an idle one.
            if hasSlept && lock.withLock({ machine.handOff() }) { lock.signal(Self.workCondition) }
        }
        while true {
            if isDone() { return .satisfied }
            // Jobs run here may queue completions on this thread's drain, if it has one.
            Trampoline.runQueuedWork(until: isDone)
            if isDone() { return .satisfied }
            lock.lock()
            if wake.isSet {
                lock.unlock()
                continue
            }
            if let deadline, deadline <= .now {
                lock.unlock()
                return isDone() ? .satisfied : .timedOut
            }
            switch machine.next(now: { .now }, isHelping: true) {
            case .run(let job):
                lock.unlock()
                job()
            case .wait(let jobDeadline):
                machine.willWait()
                lock.wait(Self.workCondition, until: earlier(jobDeadline, deadline))
                machine.didWait()
                hasSlept = true
                lock.unlock()
            case .exit:
                preconditionFailure("Internal inconsistency: a blocked wait was told to exit its thread.")
            }
        }
    }

    private func earlier(_ a: ContinuousClock.Instant?, _ b: ContinuousClock.Instant?) -> ContinuousClock.Instant? {
        guard let a else { return b }
        guard let b else { return a }
        return min(a, b)
    }
}

/// Set when the future a blocked worker waits for completes.
// `isSet` is read and written only under the pool's lock.
private final class WakeUp: @unchecked Sendable {
    var isSet = false
}

/// What a new thread needs: its pool and its number, passed through `pthread_create`.
private final class WorkerStart {
    let core: ThreadPoolCore
    let number: Int

    init(core: ThreadPoolCore, number: Int) {
        self.core = core
        self.number = number
    }
}

#if canImport(Darwin)
private func workerEntryPoint(_ argument: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
    runWorker(argument)
    return nil
}
#else
private func workerEntryPoint(_ argument: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    guard let argument else { return nil }
    runWorker(argument)
    return nil
}
#endif

private func runWorker(_ argument: UnsafeMutableRawPointer) {
    let start = Unmanaged<WorkerStart>.fromOpaque(argument).takeRetainedValue()
    #if canImport(Darwin)
    // Glibc's headers hide `pthread_setname_np` from Swift; threads are named on Apple platforms only.
    pthread_setname_np("futures-pool-\(start.number)")
    #endif
    start.core.runWorker()
}
