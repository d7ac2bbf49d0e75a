import Futures
import FuturesTesting
import Testing

@Suite("allSucceeded and allCompleted")
struct FutureAllTests {
    @Test("allSucceeded succeeds once every input has succeeded")
    func allSucceed() {
        let promises = (0..<3).map { _ in Promise<Int>() }
        let all = allSucceeded(promises.map(\.future))
        promises[0].succeed(1)
        promises[2].succeed(3)
        #expect(all.isPending)
        promises[1].succeed(2)
        #expect(all.isSucceeded)
        #expect(allSucceeded([Future<Int>]()).isSucceeded)
    }

    @Test("allSucceeded fails with the lowest-index failure; failFast decides once the inputs before it succeeded")
    func lowestIndexFailure() throws {
        let promises = (0..<3).map { _ in Promise<Int>() }
        let waiting = allSucceeded(promises.map(\.future))
        let fast = allSucceeded(promises.map(\.future), failFast: true)
        promises[1].fail(TestError(1))
        #expect(fast.isPending, "input 0 could still fail")
        promises[0].succeed(0)
        #expect(fast.error as? TestError == TestError(1))
        #expect(waiting.isPending)
        promises[2].fail(TestError(2))
        #expect(waiting.error as? TestError == TestError(1))
        let frame = try #require(waiting.traceback?.frames.last)
        #expect(frame.operation == "allSucceeded")
        #expect(frame.inputIndex == 1)
        #expect(frame.inputCount == 3)
    }

    @Test("allCompleted succeeds once every input has completed, either way, and never fails")
    func allComplete() {
        let promises = (0..<2).map { _ in Promise<Int>() }
        let all = allCompleted(promises.map(\.future))
        promises[0].fail(TestError())
        #expect(all.isPending)
        promises[1].succeed(1)
        #expect(all.isSucceeded)
        #expect(allCompleted([Future<Int>]()).isSucceeded)
    }
}
