import Futures
import FuturesTesting
import Testing

@Suite("asCompleted with a deadline")
struct AsCompletedTimeoutTests {
    @Test("every input comes out in completion order when all complete in time", .timeLimit(.minutes(1)))
    func allInTime() async throws {
        let executor = TestExecutor()
        let inputs = [Future.succeeded(1), Future.succeeded(2)]
        var seen: [Int] = []
        for try await done in asCompleted(inputs, timeout: .seconds(5), on: executor) {
            seen.append(try await done.value)
        }
        #expect(seen == [1, 2])
        #expect(executor.pendingCount == 0)
    }

    @Test("the sequence throws timedOut when the deadline passes with inputs left", .timeLimit(.minutes(1)))
    func timesOut() async throws {
        let executor = TestExecutor()
        let pending = Promise<Int>()
        var iterator = asCompleted([Future.succeeded(1), pending.future], timeout: .seconds(5), on: executor)
            .makeAsyncIterator()
        #expect(try await iterator.next()?.isSucceeded == true)
        executor.advance(by: .seconds(5))
        await #expect {
            try await iterator.next()
        } throws: { ($0 as? FutureError)?.code == .timedOut }
        #expect(try await iterator.next() == nil)
        #expect(pending.future.isPending, "timing out cancels no input")
        pending.succeed(2)
    }

    @Test(
        "a loop left early removes its callbacks from the pending inputs and cancels its deadline",
        .timeLimit(.minutes(1)))
    func leftEarly() async throws {
        let executor = TestExecutor()
        let pending = Promise<Int>()
        for try await done in asCompleted([pending.future, Future.succeeded(1)], timeout: .seconds(5), on: executor) {
            #expect(done.isSucceeded)
            break
        }
        #expect(pending.future.registeredCallbackCount == 0)
        #expect(executor.pendingCount == 0)
        pending.succeed(2)
    }
}
