/// A first-in, first-out queue over one array and a head index, reusing its storage.
///
/// Popping clears the slot, so a popped element is released at once; the storage is compacted
/// when the queue empties, or when more than half of it (and at least `compactionThreshold`
/// slots) lies before the head.
package struct FIFOQueue<Element> {
    /// Slots before `head` have been popped and hold `nil`.
    private var storage: [Element?] = []
    private var head = 0
    /// How many popped slots may lie before the head before the storage is compacted.
    private static var compactionThreshold: Int { 4096 }

    /// Creates an empty queue.
    package init() {}

    /// Whether the queue holds no element.
    package var isEmpty: Bool { head == storage.count }

    /// How many elements the queue holds.
    package var count: Int { storage.count - head }

    /// Adds `element` at the back.
    ///
    /// O(1) amortised.
    package mutating func append(_ element: Element) {
        storage.append(element)
    }

    /// Removes and returns the front element, or returns `nil` if the queue is empty.
    ///
    /// O(1) amortised.
    package mutating func popFirst() -> Element? {
        guard head < storage.count else { return nil }
        let element = storage[head].take()
        head += 1
        if head == storage.count {
            storage.removeAll(keepingCapacity: storage.count <= Self.compactionThreshold)
            head = 0
        } else if head >= Self.compactionThreshold && head * 2 >= storage.count {
            storage.removeFirst(head)
            head = 0
        }
        return element
    }

    /// Takes every element that `shouldRemove` selects out of the queue and returns them in queue
    /// order; the others keep their order.
    ///
    /// O(n).
    /// Swaps the first element with the one `offset` places behind it (0 leaves the queue as it
    /// is), so that a seeded scheduler can pick any queued element to take next.
    ///
    /// - Precondition: `0 <= offset < count`.
    package mutating func swapFirst(withOffset offset: Int) {
        precondition(offset >= 0 && offset < count, "The offset must name a queued element.")
        storage.swapAt(head, head + offset)
    }

    package mutating func removeAll(where shouldRemove: (Element) throws -> Bool) rethrows -> [Element] {
        var kept: [Element?] = []
        var removed: [Element] = []
        for case let element? in storage[head...] {
            if try shouldRemove(element) {
                removed.append(element)
            } else {
                kept.append(element)
            }
        }
        guard !removed.isEmpty else { return [] }
        storage = kept
        head = 0
        return removed
    }
}
