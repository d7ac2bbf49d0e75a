import Futures

/// The delayed jobs of a ``TestExecutor``: the library's shared heap, earliest deadline first.
typealias TimerHeap = Heap<TimerKey>

/// When a delayed job is due, as virtual time elapsed; ordered by deadline, then by submission.
struct TimerKey: Comparable {
    let deadline: Duration
    let id: UInt64
    /// The deadline's components, compared directly: `Duration`'s own `<` is not inlined.
    private let seconds: Int64
    private let attoseconds: Int64

    init(deadline: Duration, id: UInt64) {
        self.deadline = deadline
        self.id = id
        (seconds, attoseconds) = deadline.components
    }

    func precedes(_ other: TimerKey) -> Bool {
        if seconds != other.seconds { return seconds < other.seconds }
        if attoseconds != other.attoseconds { return attoseconds < other.attoseconds }
        return id < other.id
    }

    static func < (lhs: TimerKey, rhs: TimerKey) -> Bool {
        lhs.precedes(rhs)
    }

    static func == (lhs: TimerKey, rhs: TimerKey) -> Bool {
        lhs.id == rhs.id && lhs.seconds == rhs.seconds && lhs.attoseconds == rhs.attoseconds
    }
}
