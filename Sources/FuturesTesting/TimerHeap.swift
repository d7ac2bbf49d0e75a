/// When a delayed job is due, as virtual time elapsed; ordered by deadline, then by submission.
struct TimerKey {
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
}

// MARK: - Heap

/// A binary min-heap of timer keys: the earliest deadline is `first`.
struct TimerHeap {
    private var keys: [TimerKey] = []

    var count: Int { keys.count }
    var first: TimerKey? { keys.first }

    mutating func insert(_ key: TimerKey) {
        keys.append(key)
        var child = keys.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard keys[child].precedes(keys[parent]) else { break }
            keys.swapAt(child, parent)
            child = parent
        }
    }

    mutating func removeFirst() {
        keys.swapAt(0, keys.count - 1)
        keys.removeLast()
        siftDown(from: 0)
    }

    mutating func removeAll(where shouldRemove: (TimerKey) -> Bool) {
        keys.removeAll(where: shouldRemove)
        for index in stride(from: keys.count / 2 - 1, through: 0, by: -1) {
            siftDown(from: index)
        }
    }

    private mutating func siftDown(from start: Int) {
        var parent = start
        while true {
            var smallest = parent
            let left = 2 * parent + 1
            let right = left + 1
            if left < keys.count && keys[left].precedes(keys[smallest]) { smallest = left }
            if right < keys.count && keys[right].precedes(keys[smallest]) { smallest = right }
            guard smallest != parent else { return }
            keys.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
