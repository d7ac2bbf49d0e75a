import Foundation
import Futures
import FuturesTesting
import Testing

@Suite("Waiting")
struct FutureWaitTests {
    @Test("get returns the value of a completed future and rethrows the original error")
    func getCompleted() throws {
        #expect(try Future.succeeded(1).get() == 1)
        #expect(throws: TestError(3)) { try Future<Int>.failed(TestError(3)).get() }
    }

    @Test("get with a zero or negative timeout on a pending future throws .timedOut at once", arguments: [0, -1])
    func getZeroTimeout(seconds: Int) throws {
        let promise = Promise<Int>()
        let error = #expect(throws: FutureError.self) { try promise.future.get(timeout: .seconds(seconds)) }
        #expect(error?.code == .timedOut)
        #expect(!promise.future.wait(timeout: .seconds(seconds)))
        promise.succeed(0)
    }

    @Test("get with a short timeout on a future nobody completes throws .timedOut")
    func getTimesOut() {
        let promise = Promise<Int>()
        let error = #expect(throws: FutureError.self) { try promise.future.get(timeout: .milliseconds(20)) }
        #expect(error?.code == .timedOut)
        promise.succeed(0)
    }

    @Test("get blocks until another thread completes the future")
    func getBlocks() throws {
        let promise = Promise<Int>()
        Thread { promise.succeed(11) }.start()
        #expect(try promise.future.get(timeout: .seconds(30)) == 11)
    }

    @Test("get inside an inline callback runs the work queued behind it instead of deadlocking")
    func getInsideCallbackRunsQueuedWork() throws {
        let first = Promise<Int>()
        let second = Promise<Int>()
        let seen = Recorder<Int>()
        first.future.onSuccess { value in
            second.succeed(value + 1)
            // second's callbacks are queued behind this callback on the same thread.
            let derived = second.future.map { $0 * 10 }
            seen.append((try? derived.get(timeout: .seconds(30))) ?? -1)
        }
        first.succeed(1)
        #expect(seen.values == [20])
    }

    @Test("get inside a test executor's job runs the executor's other jobs")
    func getRunsTestExecutorJobs() throws {
        let executor = TestExecutor()
        let future = Future.succeeded(1).map(on: executor) { $0 + 1 }
        #expect(try executor.insideAJob { try future.get() } == 2)
    }

    @Test("get on a stage of a test executor that no thread runs throws .wouldDeadlock at once")
    func getWouldDeadlock() {
        let executor = TestExecutor()
        let promise = Promise<Int>()
        let future = promise.future.map(on: executor) { $0 }
        let error = #expect(throws: FutureError.self) { try future.get() }
        #expect(error?.code == .wouldDeadlock)
        promise.succeed(0)
        executor.runUntilIdle()
        #expect(future.isSucceeded)
    }

    @Test("wait returns whether the future is done and never throws")
    func waitReturnsDone() {
        #expect(Future.succeeded(1).wait())
        #expect(Future<Int>.failed(TestError()).wait(timeout: .zero))
        let promise = Promise<Int>()
        #expect(!promise.future.wait(timeout: .milliseconds(5)))
        promise.succeed(1)
        #expect(promise.future.wait(timeout: .zero))
    }

    @Test("a cancelled future's get throws CancellationError")
    func getCancelled() {
        let promise = Promise<Int>()
        promise.future.cancel()
        #expect(throws: CancellationError.self) { try promise.future.get() }
    }

    // MARK: - async

    @Test("value awaits the outcome", .timeLimit(.minutes(1)))
    func valueAwaits() async throws {
        let promise = Promise<Int>()
        Thread { promise.succeed(4) }.start()
        #expect(try await promise.future.value == 4)
        await #expect(throws: TestError(1)) { try await Future<Int>.failed(TestError(1)).value }
    }

    @Test(
        "cancelling a task awaiting value stops the wait without cancelling the future",
        .timeLimit(.minutes(1))
    )
    func valueCancellation() async throws {
        let promise = Promise<Int>()
        let future = promise.future
        let task = Task { try await future.value }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(future.isPending)
        #expect(!future.isCancelRequested)
        promise.succeed(1)
        #expect(try await future.value == 1)
    }
}
