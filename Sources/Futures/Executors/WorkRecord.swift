import Synchronization

/// Identity, timing and state storage of work submitted with `Future.async`.
///
/// The future of submitted work keeps a reference to its record in its own storage, and keeps
/// its callbacks and its outcome in the record's `storage` instead: so the record needs no side
/// table, and the futures of ordinary stages stay small. Start and finish are stamped with atomics,
/// once each, with no lock.
final class WorkRecord: @unchecked Sendable {
    let taskID: UInt64
    let submitted: ContinuousClock.Instant
    /// Nanoseconds from `submitted` to the start and to the finish; -1 until stamped.
    private let started = Atomic<Int64>(-1)
    private let finished = Atomic<Int64>(-1)
    /// The callbacks and outcome of the record's future (see `Future.storage`).
    // Accessed by the future under the rules of its state word.
    @usableFromInline @exclusivity(unchecked) var storage: FutureStorage.Words = FutureStorage.empty

    init(taskID: UInt64) {
        self.taskID = taskID
        self.submitted = .now
    }

    func start() {
        started.store(Self.nanoseconds(ContinuousClock.now - submitted), ordering: .releasing)
    }

    func finish() {
        _ = finished.compareExchange(
            expected: -1, desired: Self.nanoseconds(ContinuousClock.now - submitted), ordering: .acquiringAndReleasing)
    }

    var duration: FutureDuration? {
        let finished = finished.load(ordering: .acquiring)
        guard finished >= 0 else { return nil }
        let started = started.load(ordering: .acquiring)
        guard started >= 0 else { return FutureDuration(pending: .nanoseconds(finished), running: .zero) }
        return FutureDuration(pending: .nanoseconds(started), running: .nanoseconds(finished - started))
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return max(0, seconds &* 1_000_000_000 &+ attoseconds / 1_000_000_000)
    }
}

/// How long submitted work waited and ran: see ``Future/duration``.
///
/// ```swift
/// if let duration = work.duration, duration.pending > .seconds(1) {
///     print("waited \(duration.pending) for a thread")
/// }
/// ```
public struct FutureDuration: Sendable, Hashable {
    /// From submission to the start of the work, or to completion if it never started.
    ///
    /// ```swift
    /// if let waited = work.duration?.pending { print("queued for \(waited)") }
    /// ```
    public var pending: Duration
    /// From the start of the work to completion; `.zero` if it never started.
    ///
    /// ```swift
    /// if let ran = work.duration?.running { print("ran for \(ran)") }
    /// ```
    public var running: Duration

    /// Creates a duration record.
    ///
    /// ```swift
    /// let budget = FutureDuration(pending: .milliseconds(100), running: .seconds(2))
    /// ```
    ///
    /// - Parameters:
    ///   - pending: Time from submission to start.
    ///   - running: Time from start to completion.
    public init(pending: Duration, running: Duration) {
        self.pending = pending
        self.running = running
    }
}
