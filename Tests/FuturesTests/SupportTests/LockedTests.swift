import Dispatch
import Futures
import Testing

@Suite("Locked")
struct LockedTests {
    @Test("withLock returns what its body returns and keeps what it writes")
    func readsAndWrites() {
        let box = Locked([1, 2])
        let count = box.withLock { state -> Int in
            state.append(3)
            return state.count
        }
        #expect(count == 3)
        #expect(box.withLock { $0 } == [1, 2, 3])
    }

    @Test("copies of a box share one state")
    func copiesShareState() {
        let box = Locked(0)
        let copy = box
        copy.withLock { $0 = 7 }
        #expect(box.withLock { $0 } == 7)
    }

    @Test("increments from many threads are all counted")
    func concurrentIncrements() {
        let box = Locked(0)
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<10_000 { box.withLock { $0 += 1 } }
        }
        #expect(box.withLock { $0 } == 80_000)
    }

    @Test("an error thrown in the body propagates and releases the lock")
    func throwingBody() {
        struct Failure: Error {}
        let box = Locked(1)
        #expect(throws: Failure.self) {
            try box.withLock { state in
                state = 2
                throw Failure()
            }
        }
        #expect(box.withLock { $0 } == 2)
    }
}
