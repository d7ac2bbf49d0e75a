/// The state of one delayed job, shared by the heap and the job's ``ScheduledJob`` handle.
// `state` is read and written only under the lock of the pool that scheduled the job.
final class DelayedJobToken: @unchecked Sendable {
    enum State {
        case scheduled
        case cancelled
        case started
    }

    var state = State.scheduled
}

/// A job waiting for its deadline, ordered by deadline and then by submission.
struct DelayedJob: Comparable {
    let deadline: ContinuousClock.Instant
    /// Breaks ties between equal deadlines: submission order.
    let sequence: UInt64
    let job: @Sendable () -> Void
    let token: DelayedJobToken

    static func < (lhs: DelayedJob, rhs: DelayedJob) -> Bool {
        (lhs.deadline, lhs.sequence) < (rhs.deadline, rhs.sequence)
    }

    static func == (lhs: DelayedJob, rhs: DelayedJob) -> Bool {
        lhs.sequence == rhs.sequence && lhs.deadline == rhs.deadline
    }
}

/// The delayed jobs of a pool: a ``Heap`` by deadline and then submission order, which drops
/// cancelled jobs lazily.
///
/// Cancelled jobs stay in the heap until they reach the top or until they make up more than half
/// of it, when the heap is rebuilt without them: cancelling is O(1) amortised and a pool whose
/// timeouts are mostly cancelled does not grow without bound.
struct DelayedJobHeap {
    private var heap = Heap<DelayedJob>()
    private var cancelledCount = 0

    /// Jobs neither cancelled nor started.
    var liveCount: Int { heap.count - cancelledCount }

    /// Adds `entry`; returns whether it is now the earliest job.
    mutating func insert(_ entry: DelayedJob) -> Bool {
        heap.insert(entry)
        return heap.first?.token === entry.token
    }

    /// Records that one job in the heap was cancelled.
    mutating func noteCancelled() {
        cancelledCount += 1
        if cancelledCount >= 64 && cancelledCount * 2 >= heap.count {
            heap.removeAll { $0.token.state == .cancelled }
            cancelledCount = 0
        }
    }

    /// The deadline of the earliest job not cancelled, dropping cancelled jobs from the top.
    var earliestLiveDeadline: ContinuousClock.Instant? {
        mutating get {
            while let first = heap.first, first.token.state == .cancelled {
                heap.removeFirst()
                cancelledCount -= 1
            }
            return heap.first?.deadline
        }
    }

    /// Removes and returns the earliest job; call after ``earliestLiveDeadline``.
    mutating func popFirst() -> DelayedJob? {
        heap.popFirst()
    }
}
