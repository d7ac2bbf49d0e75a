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

/// A job waiting for its deadline.
struct DelayedJob {
    let deadline: ContinuousClock.Instant
    /// Breaks ties between equal deadlines: submission order.
    let sequence: UInt64
    let job: @Sendable () -> Void
    let token: DelayedJobToken

    @inline(__always)
    func isBefore(_ other: DelayedJob) -> Bool {
        (deadline, sequence) < (other.deadline, other.sequence)
    }
}

/// A binary min-heap of delayed jobs, by deadline and then submission order.
///
/// Cancelled jobs stay in the heap until they reach the top or until they make up more than half
/// of it, when the heap is rebuilt without them: cancelling is O(1) amortised and a pool whose
/// timeouts are mostly cancelled does not grow without bound.
struct DelayedJobHeap {
    private var entries: [DelayedJob] = []
    private var cancelledCount = 0

    /// Jobs neither cancelled nor started.
    var liveCount: Int { entries.count - cancelledCount }

    /// Adds `entry`; returns whether it is now the earliest job.
    mutating func insert(_ entry: DelayedJob) -> Bool {
        entries.append(entry)
        siftUp(entries.count - 1)
        return entries[0].token === entry.token
    }

    /// Records that one job in the heap was cancelled.
    mutating func noteCancelled() {
        cancelledCount += 1
        if cancelledCount >= 64 && cancelledCount * 2 >= entries.count {
            entries.removeAll { $0.token.state == .cancelled }
            cancelledCount = 0
            for index in stride(from: entries.count / 2 - 1, through: 0, by: -1) {
                siftDown(index)
            }
        }
    }

    /// The deadline of the earliest job not cancelled, dropping cancelled jobs from the top.
    var earliestLiveDeadline: ContinuousClock.Instant? {
        mutating get {
            while let first = entries.first, first.token.state == .cancelled {
                removeFirst()
                cancelledCount -= 1
            }
            return entries.first?.deadline
        }
    }

    /// Removes and returns the earliest job; call after ``earliestLiveDeadline``.
    mutating func popFirst() -> DelayedJob? {
        guard let first = entries.first else { return nil }
        removeFirst()
        return first
    }

    // MARK: - Heap order

    private mutating func removeFirst() {
        let last = entries.removeLast()
        guard !entries.isEmpty else { return }
        entries[0] = last
        siftDown(0)
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard entries[child].isBefore(entries[parent]) else { return }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            guard left < entries.count else { return }
            var smallest = left
            let right = left + 1
            if right < entries.count && entries[right].isBefore(entries[left]) { smallest = right }
            guard entries[smallest].isBefore(entries[parent]) else { return }
            entries.swapAt(smallest, parent)
            parent = smallest
        }
    }
}
