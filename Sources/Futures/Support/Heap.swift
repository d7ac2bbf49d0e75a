/// A binary min-heap: ``first`` is the smallest element, ties in no particular order.
///
/// Elements that must come out in insertion order on ties carry a sequence number in their
/// `<` (the thread pool's delayed jobs and the test executor's timers both do).
package struct Heap<Element: Comparable> {
    private var elements: [Element] = []

    /// Creates an empty heap.
    package init() {}

    /// How many elements the heap holds.
    package var count: Int { elements.count }

    /// Whether the heap holds no element.
    package var isEmpty: Bool { elements.isEmpty }

    /// The smallest element, or `nil` if the heap is empty.
    package var first: Element? { elements.first }

    /// Adds `element`.
    ///
    /// O(log n).
    package mutating func insert(_ element: Element) {
        elements.append(element)
        siftUp(elements.count - 1)
    }

    /// Removes and returns the smallest element, or returns `nil` if the heap is empty.
    ///
    /// O(log n).
    package mutating func popFirst() -> Element? {
        guard !elements.isEmpty else { return nil }
        return removeFirst()
    }

    /// Removes and returns the smallest element.
    ///
    /// O(log n).
    @discardableResult
    package mutating func removeFirst() -> Element {
        precondition(!elements.isEmpty, "removeFirst() was called on an empty heap.")
        elements.swapAt(0, elements.count - 1)
        let removed = elements.removeLast()
        siftDown(0)
        return removed
    }

    /// Removes every element that `shouldRemove` selects, then restores heap order.
    ///
    /// O(n).
    package mutating func removeAll(where shouldRemove: (Element) throws -> Bool) rethrows {
        try elements.removeAll(where: shouldRemove)
        for index in stride(from: elements.count / 2 - 1, through: 0, by: -1) {
            siftDown(index)
        }
    }

    // MARK: - Heap order

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard elements[child] < elements[parent] else { return }
            elements.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            guard left < elements.count else { return }
            var smallest = left
            let right = left + 1
            if right < elements.count && elements[right] < elements[left] { smallest = right }
            guard elements[smallest] < elements[parent] else { return }
            elements.swapAt(smallest, parent)
            parent = smallest
        }
    }
}
