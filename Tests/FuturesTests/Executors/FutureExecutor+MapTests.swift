import Dispatch
import Futures
import FuturesTesting
import Testing

@Suite("Mapping a collection on an executor")
struct FutureExecutorMapTests {
    @Test("map runs one job per element on the executor and gives the results in input order")
    func inOrder() throws {
        let executor = TestExecutor(seed: 7)
        let results = executor.map([1, 2, 3, 4]) { $0 * 10 }
        #expect(results.isPending)
        #expect(executor.pendingCount == 4)
        executor.runUntilIdle()
        #expect(try results.get() == [10, 20, 30, 40])
        #expect(try TestExecutor().map([Int]()) { $0 }.get() == [])
    }

    @Test("a failure fails the map with the lowest-index failure and cancels the jobs not started")
    func failureCancelsRest() throws {
        let executor = TestExecutor()
        let ran = Counter()
        let results = executor.map([0, 1, 2, 3]) { value -> Int in
            ran.increment()
            if value == 1 { throw TestError(1) }
            return value
        }
        #expect(executor.runNext())
        #expect(executor.runNext())
        #expect(results.error as? TestError == TestError(1))
        executor.runUntilIdle()
        #expect(ran.value == 2, "jobs 2 and 3 were cancelled before they started")
        let frames = try #require(results.traceback?.frames)
        #expect(frames.map(\.operation) == ["Future.async", "FutureExecutor.map"])
        #expect(frames.last?.inputIndex == 1)
        #expect(frames.last?.inputCount == 4)
    }

    @Test("with a timeout, the map fails with timedOut and cancels the jobs not started")
    func timeout() throws {
        let pool = ThreadPoolExecutor(threadCount: 1)
        let gate = DispatchSemaphore(value: 0)
        let ran = Counter()
        let results = pool.map([0, 1, 2], timeout: .milliseconds(20)) { value -> Int in
            ran.increment()
            if value == 0 { gate.wait() }
            return value
        }
        #expect(results.wait(timeout: .seconds(30)))
        gate.signal()
        #expect((results.error as? FutureError)?.code == .timedOut)
        #expect(results.traceback?.frames.map(\.operation) == ["FutureExecutor.map"])
        pool.shutdown()
        #expect(pool.awaitTermination(timeout: .seconds(30)))
        #expect(ran.value == 1, "jobs 1 and 2 were cancelled before they started")
        let executor = TestExecutor()
        let inTime = executor.map([1], timeout: .seconds(1), timer: executor) { $0 }
        executor.runUntilIdle()
        #expect(try inTime.get() == [1])
        #expect(executor.pendingCount == 0, "finishing in time cancels the timer")
    }
}
