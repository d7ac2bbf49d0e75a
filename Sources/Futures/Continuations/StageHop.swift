import Synchronization

#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

// MARK: - Stages

extension Future {
    /// Registers a stage: directly when it runs inline, behind a hop to `executor` otherwise.
    @inlinable
    func addStage<T: Sendable, E: FutureExecutor>(_ next: Future<T>, on executor: E, _ entry: Callback<Value>) {
        if E.self == InlineExecutor.self {
            register(entry)
        } else {
            register(StageHop(entry, on: executor, failing: next).entry)
        }
    }
}

/// A stage bound to an executor other than `.inline`: its entry runs as a job on that executor.
///
/// The stage's future never stays pending because of the hop: if the executor refuses the job (it
/// has shut down) the future fails with ``FutureError/Code/executorShutdown``; if the executor
/// releases the job without running it, or was itself released first, the future fails with
/// ``FutureError/Code/abandoned``, naming the executor.
// Immutable after initialisation.
@usableFromInline
final class StageHop<Value: Sendable>: @unchecked Sendable {
    let stage: Callback<Value>
    let executor: ExecutorReference
    let fail: @Sendable (FutureError) -> Void
    /// While the stage's future waits for a test executor, says so to blocking waits on it.
    let mark: QueueMark?

    @usableFromInline
    init<T>(_ stage: Callback<Value>, on executor: some FutureExecutor, failing next: Future<T>) {
        self.stage = stage
        self.executor = ExecutorReference(executor)
        self.fail = { error in next.fail(raising: error) }
        self.mark = self.executor.weaklyHeld.map { QueueMark(ObjectIdentifier(next), on: $0) }
    }

    @usableFromInline
    var entry: Callback<Value> {
        Callback(target: self) { outcome, source, entry in
            entry.target(as: StageHop.self).run(outcome, from: source)
        }
    }

    @usableFromInline
    func run(_ outcome: Outcome<Value>, from source: Future<Value>) {
        guard let target = executor.executor else {
            fail(FutureError(code: .abandoned, message: "\(executor.describeRelease()) before this stage could run"))
            return
        }
        let job = HopJob(stage, outcome, from: source, executor: executor, mark: mark, fail: fail)
        if !target.tryExecute(job.run) {
            job.refuse()
            fail(FutureError(code: .executorShutdown, message: "the executor of this stage has shut down"))
        }
    }
}

/// One run of a hopped stage, as the job its executor holds.
///
/// If the executor releases the job without running it, the stage's future fails with
/// ``FutureError/Code/abandoned`` instead of staying pending: no executor can leave a held future
/// pending forever by dropping a job.
// `state` is written by the one thread that runs or refuses the job, before its last release, and
// read in `deinit`, after it.
final class HopJob<Value: Sendable>: @unchecked Sendable {
    private enum State {
        case queued, ran, refused
    }

    private let stage: Callback<Value>
    private let outcome: Outcome<Value>
    private let source: Future<Value>
    private let executor: ExecutorReference
    private let fail: @Sendable (FutureError) -> Void
    private let tracking: WorkInFlight.Tracking
    /// Held until the job runs, if it is queued on a test executor.
    private var mark: QueueMark?
    private var state = State.queued

    init(
        _ stage: Callback<Value>,
        _ outcome: Outcome<Value>,
        from source: Future<Value>,
        executor: ExecutorReference,
        mark: QueueMark?,
        fail: @escaping @Sendable (FutureError) -> Void
    ) {
        self.stage = stage
        self.outcome = outcome
        self.source = source
        self.executor = executor
        self.fail = fail
        self.mark = mark
        self.tracking = executor.isHeldWeakly ? .none : WorkInFlight.start()
    }

    @Sendable
    func run() {
        state = .ran
        mark = nil
        WorkInFlight.run(tracking) { stage.run(outcome, from: source) }
        WorkInFlight.finish(tracking)
    }

    func refuse() {
        state = .refused
        WorkInFlight.finish(tracking)
    }

    deinit {
        guard state == .queued else { return }
        fail(
            FutureError(
                code: .abandoned,
                message: executor.isHeldWeakly
                    ? "\(executor.describeRelease()), so this stage never ran"
                    : "the executor of this stage (\(executor.typeName)) released its job without running it"
            )
        )
        WorkInFlight.finish(tracking)
    }
}

// MARK: - Executors held weakly

/// An executor that stages and jobs must not keep alive: a test executor, which holds the jobs
/// that refer back to it.
///
/// A stage holds such an executor weakly, so that queued jobs form no cycle with it; once it is
/// gone, the stages that still needed it fail with ``FutureError/Code/abandoned`` and the message
/// that ``releaseDescription`` gives.
package protocol WeaklyHeldExecutor: AnyObject, FutureExecutor {
    /// Describes the executor's release, for example "the TestExecutor created at T.swift:4 was
    /// released with 2 jobs queued"; the closure must not hold the executor.
    var releaseDescription: @Sendable () -> String { get }

    /// Whether a thread is running the executor's jobs right now (a driver, an advance).
    var isBeingDriven: Bool { get }

    /// What to tell a thread that blocks on a future only this executor's queued job completes,
    /// while nothing runs the executor.
    var undrivenWaitDescription: String { get }
}

/// Marks a stage's future as waiting for a ``WeaklyHeldExecutor`` for as long as it lives.
// Immutable after initialisation.
final class QueueMark: @unchecked Sendable {
    private let future: ObjectIdentifier

    init(_ future: ObjectIdentifier, on executor: any WeaklyHeldExecutor) {
        self.future = future
        QueuedOnTestExecutor.mark(future, on: executor)
    }

    deinit {
        QueuedOnTestExecutor.unmark(future)
    }
}

/// The futures of stages bound to a ``WeaklyHeldExecutor``, so that a blocking wait
/// on one of them, while nothing runs that executor, fails at once instead of hanging.
package enum QueuedOnTestExecutor {
    private struct Entry {
        weak var executor: (any WeaklyHeldExecutor)?
        var count: Int
    }

    private static let entries = Locked<[ObjectIdentifier: Entry]>([:])

    static func mark(_ future: ObjectIdentifier, on executor: any WeaklyHeldExecutor) {
        entries.withLock { entries in
            if entries[future] != nil {
                entries[future]!.count += 1
            } else {
                entries[future] = Entry(executor: executor, count: 1)
            }
        }
    }

    static func unmark(_ future: ObjectIdentifier) {
        let removed: Entry? = entries.withLock { entries in
            guard var entry = entries[future] else { return nil }
            entry.count -= 1
            if entry.count == 0 { return entries.removeValue(forKey: future) }
            entries[future] = entry
            return nil
        }
        _ = removed
    }

    /// If only a queued job of an executor that nothing drives can complete `future`, and this
    /// thread is not running that executor's jobs, says so.
    static func undrivenWait(on future: AnyObject, helpers: [any BlockingWaitHelper]) -> String? {
        guard WorkInFlight.hasTrackers else { return nil }
        let executor = entries.withLock { $0[ObjectIdentifier(future)]?.executor }
        guard let executor, !executor.isBeingDriven, !helpers.contains(where: { $0 === executor }) else { return nil }
        return executor.undrivenWaitDescription
    }
}

/// The executor of a stage: held strongly, or weakly if it is a ``WeaklyHeldExecutor``.
// Immutable after initialisation; `weak` references are thread-safe to read.
@usableFromInline
struct ExecutorReference: @unchecked Sendable {
    private let strong: (any FutureExecutor)?
    private weak var weak: (any WeaklyHeldExecutor)?
    private let describe: (@Sendable () -> String)?
    private let executorType: Any.Type

    init(_ executor: some FutureExecutor) {
        if let held = executor as? any WeaklyHeldExecutor {
            strong = nil
            weak = held
            describe = held.releaseDescription
        } else {
            strong = executor
            describe = nil
        }
        executorType = type(of: executor)
    }

    var isHeldWeakly: Bool { describe != nil }

    var executor: (any FutureExecutor)? { strong ?? weak }

    var weaklyHeld: (any WeaklyHeldExecutor)? { weak }

    var typeName: String { "\(executorType)" }

    func describeRelease() -> String {
        describe?() ?? "the executor of this stage (\(typeName)) was released"
    }
}

// MARK: - Work in flight

/// The work in flight that one test executor's jobs started: jobs they handed to a real executor
/// (a pool, a queue), and the jobs that those handed on, that have not finished.
// `count` is read and written only under `WorkInFlight.monitor`.
package final class InFlightScope: @unchecked Sendable {
    fileprivate var count = 0

    package init() {}

    /// Runs `body` with this scope as the current thread's, so that the hops it makes count here.
    package func enter<R>(_ body: () throws -> R) rethrows -> R {
        let previous = InFlightScope.current
        InFlightScope.current = self
        defer { InFlightScope.current = previous }
        return try body()
    }

    /// The scope of the job running on this thread, if a test executor's work started it; held
    /// unretained: whoever set it keeps it alive until it restores the previous one.
    fileprivate static var current: InFlightScope? {
        get { ThreadContext.current.inFlightScope?.takeUnretainedValue() }
        set { ThreadContext.current.inFlightScope = newValue.map { Unmanaged.passUnretained($0) } }
    }
}

/// Jobs that the futures API handed to a real executor and that have not finished, so that a test
/// executor's driver can tell "idle" from "waiting for a real thread".
///
/// A job counts in the ``InFlightScope`` of the test-executor job that started it, directly or
/// through other such jobs; a job started elsewhere counts as unscoped, and only while a test
/// executor is alive (so production code pays one atomic load per hop).
package enum WorkInFlight {
    private static let trackers = Atomic<Int>(0)
    fileprivate static let monitor = ConditionLock(conditionCount: 1)
    // Guarded by `monitor`.
    nonisolated(unsafe) private static var unscoped = 0

    /// How a job was counted.
    enum Tracking {
        case none
        case unscoped
        case scoped(InFlightScope)
    }

    /// Turns unscoped counting on while at least one tracker (a test executor) is alive.
    package static func trackerCreated() { trackers.add(1, ordering: .relaxed) }

    package static func trackerReleased() { trackers.subtract(1, ordering: .relaxed) }

    static var hasTrackers: Bool { trackers.load(ordering: .relaxed) > 0 }

    /// Counts a job handed to a real executor from this thread.
    static func start() -> Tracking {
        if let scope = InFlightScope.current {
            monitor.withLock { scope.count += 1 }
            return .scoped(scope)
        }
        guard trackers.load(ordering: .relaxed) > 0 else { return .none }
        monitor.withLock { unscoped += 1 }
        return .unscoped
    }

    /// Runs a counted job's body in its scope.
    static func run(_ tracking: Tracking, _ body: () -> Void) {
        if case .scoped(let scope) = tracking {
            scope.enter(body)
        } else {
            body()
        }
    }

    /// Uncounts a job that ran, was refused or was dropped.
    static func finish(_ tracking: Tracking) {
        switch tracking {
        case .none: return
        case .unscoped: monitor.withLock { unscoped -= 1 }
        case .scoped(let scope): monitor.withLock { scope.count -= 1 }
        }
        monitor.broadcast(0)
    }

    /// Wraps `job` so that it counts as work in flight until it has run or been dropped.
    package static func tracking(
        _ job: @escaping @Sendable () -> Void,
        on executor: some FutureExecutor
    ) -> @Sendable () -> Void {
        let tracking = start()
        if case .none = tracking { return job }
        if executor is any WeaklyHeldExecutor {
            finish(tracking)
            return job
        }
        let token = InFlightToken(tracking)
        return {
            run(tracking, job)
            token.finish()
        }
    }

    /// Wakes the threads waiting in ``waitForChange(in:includingUnscoped:while:)``: a job was
    /// queued or a future completed.
    package static func changed() {
        monitor.withLock {}
        monitor.broadcast(0)
    }

    /// If work is in flight in `scope` (or unscoped, when asked), blocks until something changes
    /// unless `stillWaiting` (checked under the monitor) is false, and returns `true`; otherwise
    /// returns `false` at once.
    ///
    /// Whoever makes `stillWaiting` false must call ``changed()`` afterwards.
    package static func waitForChange(
        in scope: InFlightScope,
        includingUnscoped: Bool,
        until deadline: ContinuousClock.Instant? = nil,
        while stillWaiting: () -> Bool
    ) -> Bool {
        monitor.withLock {
            guard scope.count > 0 || (includingUnscoped && unscoped > 0) else { return false }
            if stillWaiting() { monitor.wait(0, until: deadline) }
            return true
        }
    }
}

/// Uncounts a wrapped job once, when it has run or when the executor drops it.
private final class InFlightToken: Sendable {
    private let tracking: Locked<WorkInFlight.Tracking?>

    init(_ tracking: WorkInFlight.Tracking) {
        self.tracking = Locked(tracking)
    }

    func finish() {
        if let tracking = self.tracking.withLock({ $0.take() }) { WorkInFlight.finish(tracking) }
    }

    deinit { finish() }
}
