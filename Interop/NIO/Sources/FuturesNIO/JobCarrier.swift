import Futures
import Synchronization

/// What became of one job handed to an event loop.
///
/// A job starts `unsettled` while it is being submitted. The submitter then settles it: `accepted`
/// if the loop kept it, or it finds it `refused` (the loop released it during the submission). An
/// accepted job ends `started` or `cancelled`, exactly once: every transition is a
/// compare-and-swap, so two parties never both win.
// The only state is the atomic.
final class JobTicket: @unchecked Sendable {
    private static let unsettled: UInt8 = 0
    private static let accepted: UInt8 = 1
    private static let refused: UInt8 = 2
    private static let started: UInt8 = 3
    private static let cancelled: UInt8 = 4

    private let state = Atomic<UInt8>(JobTicket.unsettled)

    private func move(from old: UInt8, to new: UInt8) -> Bool {
        state.compareExchange(expected: old, desired: new, ordering: .acquiringAndReleasing).exchanged
    }

    /// Called by the submitter once the loop has returned: `true` if the loop kept the job (it may
    /// even have run it already), `false` if it refused it.
    func settle() -> Bool {
        move(from: Self.unsettled, to: Self.accepted) || state.load(ordering: .acquiring) != Self.refused
    }

    /// Claims the job for running; `false` if it was cancelled or already claimed.
    func start() -> Bool {
        move(from: Self.accepted, to: Self.started) || move(from: Self.unsettled, to: Self.started)
    }

    /// Cancels an accepted job for its owner; `false` if it already started.
    func cancel() -> Bool {
        move(from: Self.accepted, to: Self.cancelled)
    }

    /// Called when the loop releases the job: `true` if it did so during the submission, which
    /// is how NIO refuses work.
    func release() -> Bool {
        move(from: Self.unsettled, to: Self.refused)
    }
}

/// The job as the loop holds it.
///
/// A loop that refuses work releases the closure that captured the carrier without calling it,
/// before the submission returns; the carrier's `deinit` records that as a refusal. A loop that
/// releases an accepted job without running or cancelling it would drop it silently; the carrier
/// runs such a job then, through `.inline`: early rather than never.
final class JobCarrier: Sendable {
    let ticket: JobTicket
    let job: @Sendable () -> Void

    init(ticket: JobTicket, job: @escaping @Sendable () -> Void) {
        self.ticket = ticket
        self.job = job
    }

    /// Runs the job, unless it was cancelled or already ran.
    func run() {
        if ticket.start() {
            job()
        }
    }

    /// Called when the loop cancels the job (NIO does at shutdown): a refusal during the
    /// submission; afterwards, the job runs now, early rather than never, unless its owner
    /// cancelled it first.
    func loopCancelled() {
        if !ticket.release() {
            run()
        }
    }

    deinit {
        if !ticket.release(), ticket.start() {
            InlineExecutor().execute(job)
        }
    }
}
