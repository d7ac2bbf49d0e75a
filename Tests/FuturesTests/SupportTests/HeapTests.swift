import Futures
import Testing

@Suite("Heap")
struct HeapTests {
    /// An element whose order is its key; `tag` tells equal keys apart.
    struct Item: Comparable {
        let key: Int
        let tag: Int

        static func < (lhs: Item, rhs: Item) -> Bool { lhs.key < rhs.key }
        static func == (lhs: Item, rhs: Item) -> Bool { lhs.key == rhs.key }
    }

    @Test("elements come out smallest first, whatever the insertion order", arguments: [1, 2, 7, 100, 1_000])
    func popsInOrder(count: Int) {
        var random = SplitMix64(seed: UInt64(count))
        let values = (0..<count).map { _ in random.below(50) }
        var heap = Heap<Int>()
        for value in values { heap.insert(value) }
        #expect(heap.count == count)
        var popped: [Int] = []
        while let value = heap.popFirst() { popped.append(value) }
        #expect(popped == values.sorted())
        #expect(heap.isEmpty)
    }

    @Test("equal keys tie-broken by a sequence number come out in insertion order")
    func tiesWithSequenceKeepInsertionOrder() {
        struct Keyed: Comparable {
            let key: Int
            let sequence: Int
            static func < (lhs: Keyed, rhs: Keyed) -> Bool { (lhs.key, lhs.sequence) < (rhs.key, rhs.sequence) }
        }
        var heap = Heap<Keyed>()
        for sequence in 0..<20 { heap.insert(Keyed(key: sequence % 2, sequence: sequence)) }
        var popped: [Int] = []
        while let item = heap.popFirst() { popped.append(item.sequence) }
        #expect(popped == Array(stride(from: 0, to: 20, by: 2)) + Array(stride(from: 1, to: 20, by: 2)))
    }

    @Test("equal keys without a tie-breaker all come out, before any larger key")
    func tiesWithoutSequenceComeOutTogether() {
        var heap = Heap<Item>()
        for tag in 0..<10 { heap.insert(Item(key: tag < 5 ? 1 : 0, tag: tag)) }
        let popped = (0..<10).map { _ in heap.removeFirst() }
        #expect(popped.map(\.key) == [0, 0, 0, 0, 0, 1, 1, 1, 1, 1])
        #expect(Set(popped.map(\.tag)) == Set(0..<10))
    }

    @Test("first is the smallest element and popping an empty heap returns nil")
    func firstAndEmpty() {
        var heap = Heap<Int>()
        #expect(heap.first == nil)
        #expect(heap.popFirst() == nil)
        heap.insert(3)
        heap.insert(1)
        heap.insert(2)
        #expect(heap.first == 1)
        #expect(heap.count == 3)
    }

    @Test("removeAll(where:) keeps the rest in heap order")
    func removeAllKeepsOrder() {
        var heap = Heap<Int>()
        for value in (0..<200).reversed() { heap.insert(value) }
        heap.removeAll { $0 % 3 == 0 }
        var popped: [Int] = []
        while let value = heap.popFirst() { popped.append(value) }
        #expect(popped == (0..<200).filter { $0 % 3 != 0 })
    }
}
