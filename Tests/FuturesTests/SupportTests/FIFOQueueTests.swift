import Futures
import Testing

@Suite("FIFOQueue")
struct FIFOQueueTests {
    @Test("elements come out in the order they went in", arguments: [0, 1, 5, 5_000, 10_000])
    func firstInFirstOut(count: Int) {
        var queue = FIFOQueue<Int>()
        for value in 0..<count { queue.append(value) }
        #expect(queue.count == count)
        var popped: [Int] = []
        while let value = queue.popFirst() { popped.append(value) }
        #expect(popped == Array(0..<count))
        #expect(queue.isEmpty)
        #expect(queue.popFirst() == nil)
    }

    @Test("interleaved appends and pops keep the order across storage compaction")
    func interleaved() {
        var queue = FIFOQueue<Int>()
        var next = 0
        var expected = 0
        // Always one more appended than popped, so the head runs far ahead and compaction happens.
        for _ in 0..<10_000 {
            queue.append(next)
            queue.append(next + 1)
            next += 2
            #expect(queue.popFirst() == expected)
            expected += 1
        }
        #expect(queue.count == next - expected)
        while let value = queue.popFirst() {
            #expect(value == expected)
            expected += 1
        }
        #expect(expected == next)
    }

    @Test("a popped element is released at once")
    func popReleases() {
        final class Box {}
        var queue = FIFOQueue<Box>()
        weak var released: Box?
        do {
            let box = Box()
            released = box
            queue.append(box)
            queue.append(Box())
        }
        #expect(released != nil)
        _ = queue.popFirst()
        #expect(released == nil)
        #expect(queue.count == 1)
    }

    @Test("removeAll(where:) takes the selected elements out in queue order and keeps the rest in order")
    func removeAllKeepsOrder() {
        var queue = FIFOQueue<Int>()
        for value in 0..<10 { queue.append(value) }
        _ = queue.popFirst()
        _ = queue.popFirst()
        let removed = queue.removeAll { $0 % 3 == 0 }
        #expect(removed == [3, 6, 9])
        var rest: [Int] = []
        while let value = queue.popFirst() { rest.append(value) }
        #expect(rest == [2, 4, 5, 7, 8])
        #expect(queue.removeAll { _ in true }.isEmpty)
    }

    @Test("swapFirst makes the element at an offset the next one taken, and keeps the others in order")
    func swapFirstPicksTheNext() {
        var queue = FIFOQueue<Int>()
        for value in 0..<5 { queue.append(value) }
        _ = queue.popFirst()
        queue.swapFirst(withOffset: 2)
        var taken: [Int] = []
        while let value = queue.popFirst() { taken.append(value) }
        #expect(taken == [3, 2, 1, 4])
    }
}
