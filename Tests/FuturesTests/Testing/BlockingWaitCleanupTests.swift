import Dispatch
import Futures
import FuturesTesting
import Testing

@Suite("Blocking waits: nothing left behind, no deadlock on the thread the work needs")
struct BlockingWaitCleanupTests {
    @Test("a thousand timed-out waits on one pending future leave no callback registered on it")
    func timedOutWaitsLeaveNothing() {
        let promise = Promise<Int>()
        for index in 0..<1_000 {
            if index.isMultiple(of: 2) {
                #expect(!promise.future.wait(timeout: .nanoseconds(1)))
            } else {
                #expect(throws: FutureError.self) { try promise.future.get(timeout: .microseconds(1)) }
            }
        }
        #expect(promise.future.registeredCallbackCount == 0)
        promise.succeed(1)
    }

    @Test("a thousand timed-out waits on a pool thread, helped by the pool, leave no callback registered")
    func timedOutPoolWaitsLeaveNothing() throws {
        let pool = ThreadPoolExecutor(threadCount: 1)
        defer { pool.shutdown() }
        let promise = Promise<Int>()
        let timedOut = Future.async(on: pool) { () -> Int in
            var count = 0
            for _ in 0..<1_000 where !promise.future.wait(timeout: .microseconds(1)) { count += 1 }
            return count
        }
        #expect(try timedOut.get(timeout: .seconds(60)) == 1_000)
        #expect(promise.future.registeredCallbackCount == 0)
        promise.succeed(1)
    }

    @Test("a thousand waits inside test executor jobs that find nothing to run leave no callback registered")
    func testExecutorWaitsLeaveNothing() {
        let executor = TestExecutor()
        let promise = Promise<Int>()
        let gaveUp = Counter()
        for _ in 0..<1_000 {
            executor.execute { if !promise.future.wait(timeout: .seconds(30)) { gaveUp.increment() } }
        }
        executor.runUntilIdle()
        // Each wait first runs the jobs queued behind it, so they nest; every one gives up at once.
        #expect(gaveUp.value == 1_000)
        #expect(promise.future.registeredCallbackCount == 0)
        promise.succeed(1)
    }

    @Test("get inside an inline callback on a future a later callback of the same completion completes returns at once")
    func waitRunsLaterSiblingCallbacks() {
        let source = Promise<Int>()
        let later = Promise<Int>()
        let seen = Recorder<Int>()
        source.future.onSuccess { _ in
            seen.append((try? later.future.get(timeout: .seconds(30))) ?? -1)
        }
        source.future.onSuccess { value in later.succeed(value * 2) }
        let start = ContinuousClock.now
        source.succeed(21)
        #expect(ContinuousClock.now - start < .seconds(10))
        #expect(seen.values == [42])
    }

    @Test("callbacks that a nested wait ran early are not run again by their own delivery")
    func siblingsRunExactlyOnce() {
        let source = Promise<Int>()
        let later = Promise<Int>()
        let runs = Recorder<String>()
        source.future.onSuccess { _ in
            runs.append("first")
            _ = later.future.wait(timeout: .seconds(30))
        }
        source.future.onSuccess { _ in
            runs.append("second")
            later.succeed(0)
        }
        source.future.onSuccess { _ in runs.append("third") }
        source.succeed(1)
        #expect(runs.values == ["first", "second", "third"])
    }
}
