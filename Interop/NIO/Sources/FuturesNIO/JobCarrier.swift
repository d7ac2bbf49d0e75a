import Futures
import Synchronization

/// What became of one job handed to an event loop: waiting, started, cancelled by its owner, or
/// dropped by the loop without running.
// The only state is the atomic; every transition is a compare-and-swap from `waiting`, so exactly
// one of them wins.
final class JobTicket: @unchecked Sendable {
    private static let waiting: UInt8 = 0
    private static let started: UInt8 = 1
    private static let cancelled: UInt8 = 2
    private static let dropped: UInt8 = 3

    private let state = Atomic<UInt8>(JobTicket.waiting)

    /// Moves from waiting to `next`; `false` if another transition came first.
    private func leaveWaiting(for next: UInt8) -> Bool {
        state.compareExchange(expected: Self.waiting, desired: next, ordering: .acquiringAndReleasing).exchanged
    }

    /// Claims the job for running; `false` if it was cancelled, dropped or already started.
    func start() -> Bool { leaveWaiting(for: Self.started) }

    /// Cancels the job for its owner; `false` if it started or was dropped first.
    func cancel() -> Bool { leaveWaiting(for: Self.cancelled) }

    /// Records that the loop released the job without running it; `false` if something came first.
    func drop() -> Bool { leaveWaiting(for: Self.dropped) }

    /// Whether the loop released the job without running it.
    var wasDropped: Bool { state.load(ordering: .acquiring) == Self.dropped }
}

/// The job as the loop holds it.
///
/// A loop that refuses work releases the closure that captured the carrier without calling it; the carrier's `deinit` turns that release into a recorded drop, and
/// for delayed jobs runs the job at once (early rather than never).
final class JobCarrier: Sendable {
    let ticket: JobTicket
    let job: @Sendable () -> Void
    let runIfDropped: Bool

    init(ticket: JobTicket, job: @escaping @Sendable () -> Void, runIfDropped: Bool) {
        self.ticket = ticket
        self.job = job
        self.runIfDropped = runIfDropped
    }

    /// Runs the job, unless it was cancelled or already ran.
    func run() {
        if ticket.start() {
            job()
        }
    }

    deinit {
        guard ticket.drop(), runIfDropped else { return }
        InlineExecutor().execute(job)
    }
}
