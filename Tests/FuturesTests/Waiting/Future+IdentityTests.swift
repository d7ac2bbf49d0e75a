import Futures
import Testing

@Suite("Identity")
struct FutureIdentityTests {
    @Test("futures and promises are equal and hash alike only when they are the same object")
    func identity() {
        let first = Future.succeeded(1)
        let second = Future.succeeded(1)
        #expect(first == first)
        #expect(first != second)
        let futures: Set = [first, second, first]
        #expect(futures.count == 2)
        var names: [Future<Int>: String] = [:]
        names[first] = "first"
        #expect(names[first] == "first")
        #expect(names[second] == nil)
        let promise = Promise<Int>()
        let promises: Set = [promise, promise, Promise<Int>()]
        #expect(promises.count == 2)
        promises.forEach { $0.succeed(0) }
    }

    @Test("the futures waitFutures returns can be looked up among the inputs")
    func lookUpAfterWait() {
        let pending = Promise<Int>()
        let inputs = [pending.future, Future.succeeded(2)]
        let (done, notDone) = waitFutures(inputs, until: .firstCompleted, timeout: .zero)
        #expect(done.compactMap { inputs.firstIndex(of: $0) } == [1])
        #expect(Set(notDone) == [pending.future])
        pending.succeed(1)
    }
}
