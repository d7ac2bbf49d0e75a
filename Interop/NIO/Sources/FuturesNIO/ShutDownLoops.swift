import NIOConcurrencyHelpers
import NIOCore
import Synchronization

/// The loops that have refused a job, so that later jobs are refused here without asking NIO again
/// (NIO prints an error line for every job that a shut-down loop refuses).
///
/// A loop that has shut down never accepts work again. Entries hold the loop weakly and are
/// matched by identity, so a new loop at a released loop's address is not mistaken for it.
// `count` mirrors the number of entries in `loops`, updated under the lock; it is read without
// the lock only as a hint that lets `contains` skip the lock while no loop has ever shut down.
final class ShutDownLoops: @unchecked Sendable {
    static let shared = ShutDownLoops()

    private struct Entry {
        weak var loop: (any EventLoop)?
    }

    private let count = Atomic<Int>(0)
    private let loops = NIOLockedValueBox<[ObjectIdentifier: Entry]>([:])

    /// Whether `loop` has refused a job before.
    func contains(_ loop: any EventLoop) -> Bool {
        guard count.load(ordering: .relaxed) > 0 else { return false }
        let key = ObjectIdentifier(loop)
        return loops.withLockedValue { loops in
            guard let entry = loops[key] else { return false }
            if entry.loop === loop { return true }
            if entry.loop == nil {
                loops[key] = nil
                count.store(loops.count, ordering: .relaxed)
            }
            return false
        }
    }

    /// Records that `loop` refused a job.
    func insert(_ loop: any EventLoop) {
        loops.withLockedValue { loops in
            loops = loops.filter { $0.value.loop != nil }
            loops[ObjectIdentifier(loop)] = Entry(loop: loop)
            count.store(loops.count, ordering: .relaxed)
        }
    }
}
