/// Identity and timing of work submitted with `Future.async`.
// `started` and `finished` are written once each, under `lock`.
final class WorkRecord: @unchecked Sendable {
    let taskID: UInt64
    let submitted: ContinuousClock.Instant
    private let lock = Lock()
    private var started: ContinuousClock.Instant?
    private var finished: ContinuousClock.Instant?

    init(taskID: UInt64) {
        self.taskID = taskID
        self.submitted = .now
    }

    private static let tableLock = Lock()
    // Guarded by `tableLock`.
    nonisolated(unsafe) private static var table: [ObjectIdentifier: WorkRecord] = [:]

    static func register(_ record: WorkRecord, for future: AnyObject) {
        tableLock.withLock { table[ObjectIdentifier(future)] = record }
    }

    static func unregister(for future: AnyObject) {
        _ = tableLock.withLock { table.removeValue(forKey: ObjectIdentifier(future)) }
    }

    static func record(for future: AnyObject) -> WorkRecord? {
        tableLock.withLock { table[ObjectIdentifier(future)] }
    }

    func start() {
        let now = ContinuousClock.now
        lock.withLock { started = now }
    }

    func finish() {
        let now = ContinuousClock.now
        lock.withLock {
            if finished == nil { finished = now }
        }
    }

    var duration: FutureDuration? {
        lock.withLock {
            guard let finished else { return nil }
            guard let started else { return FutureDuration(pending: finished - submitted, running: .zero) }
            return FutureDuration(pending: started - submitted, running: finished - started)
        }
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
