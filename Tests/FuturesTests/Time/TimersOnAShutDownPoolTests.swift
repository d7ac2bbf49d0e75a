import Dispatch
import Futures
import FuturesTesting
import Testing

/// Every timer-based operator on an executor that refuses delayed work (a `ThreadPoolExecutor`
/// after `shutdown()`) fails at once with `.executorShutdown` and leaves its source alone.
@Suite("Timers on a shut-down pool")
struct TimersOnAShutDownPoolTests {
    /// A pool that has shut down before the test uses it.
    static func shutDownPool() -> ThreadPoolExecutor {
        let pool = ThreadPoolExecutor(threadCount: 1)
        pool.shutdown()
        pool.awaitTermination()
        return pool
    }

    static func code(_ future: Future<some Sendable>) -> FutureError.Code? {
        (future.error as? FutureError)?.code
    }

    @Test("a shut-down pool refuses delayed work, and a DispatchQueue never does")
    func refusal() {
        let pool = Self.shutDownPool()
        #expect(pool.tryExecute(after: .seconds(5)) { Issue.record("a refused job ran") } == nil)
        let job = DispatchQueue.global().tryExecute(after: .seconds(60)) { Issue.record("a cancelled job ran") }
        #expect(job != nil)
        job?.cancel()
    }

    @Test("sleep(for:) and succeeded(_:after:) fail at once with executorShutdown")
    func sleepAndSucceeded() {
        let pool = Self.shutDownPool()
        let sleep = Future.sleep(for: .seconds(5), on: pool)
        let answer = Future.succeeded(1, after: .seconds(5), on: pool)
        #expect(Self.code(sleep) == .executorShutdown)
        #expect(Self.code(answer) == .executorShutdown)
        #expect(answer.traceback?.frames.map(\.operation) == ["Future.succeeded"])
        #expect(answer.traceback?.frames.first?.role == .raised)
    }

    @Test("delay of a completed source fails at once with executorShutdown, raised at the delay")
    func delayOfACompletedSource() {
        let pool = Self.shutDownPool()
        let delayed = Future.succeeded(7).delay(by: .seconds(5), on: pool)
        #expect(Self.code(delayed) == .executorShutdown)
        #expect(delayed.traceback?.frames.map(\.operation) == ["delay"])
    }

    @Test("delay of a pending source fails as soon as the source completes, and leaves it alone")
    func delayOfAPendingSource() throws {
        let pool = Self.shutDownPool()
        let promise = Promise<Int>()
        let delayed = promise.future.delay(by: .seconds(5), on: pool)
        #expect(delayed.isPending)
        promise.succeed(3)
        #expect(Self.code(delayed) == .executorShutdown)
        #expect(try promise.future.get() == 3)
    }

    @Test("timeout fails at once with executorShutdown, without cancelling or holding on to the source")
    func timeoutLeavesTheSourceAlone() throws {
        let pool = Self.shutDownPool()
        let promise = Promise<Int>()
        let limited = promise.future.timeout(after: .seconds(5), on: pool)
        #expect(Self.code(limited) == .executorShutdown)
        #expect(limited.traceback?.frames.map(\.operation) == ["timeout"])
        #expect(promise.future.isPending)
        #expect(!promise.future.isCancelRequested)
        #expect(promise.future.registeredCallbackCount == 0)
        promise.succeed(4)
        #expect(try promise.future.get() == 4)
    }

    @Test("timeout of a source that is already done passes its outcome through, even on a shut-down pool")
    func timeoutOfADoneSource() throws {
        let pool = Self.shutDownPool()
        #expect(try Future.succeeded(5).timeout(after: .seconds(5), on: pool).get() == 5)
    }

    @Test("retry fails with executorShutdown when the pool refuses the first attempt")
    func retryRefusedAtFirst() {
        let pool = Self.shutDownPool()
        let calls = Counter()
        let result = retry(attempts: 3, on: pool) {
            calls.increment()
            return Future<Int>.failed(TestError(1))
        }
        #expect(Self.code(result) == .executorShutdown)
        #expect(calls.value == 0)
    }

    @Test(
        "retry stops with executorShutdown when the pool refuses the wait before a later attempt",
        arguments: [Backoff.constant(.zero), .constant(.seconds(5))]
    )
    func retryRefusedLater(backoff: Backoff) throws {
        let pool = ThreadPoolExecutor(threadCount: 1)
        let started = Promise<Void>()
        let attempt = Promise<Int>()
        let calls = Counter()
        let result = retry(attempts: 3, backoff: backoff, on: pool) {
            calls.increment()
            started.succeed(())
            return attempt.future
        }
        try started.future.get(timeout: .seconds(30))
        pool.shutdown()
        pool.awaitTermination(timeout: .seconds(30))
        attempt.fail(TestError(1))
        #expect(Self.code(result) == .executorShutdown)
        #expect(result.traceback?.frames.map(\.operation) == ["retry"])
        #expect(calls.value == 1)
        let message = (result.error as? FutureError)?.message ?? ""
        #expect(message.contains("attempt 2 of 3"))
    }

    @Test("an executor map whose timer executor has shut down fails at once with executorShutdown")
    func executorMapTimer() {
        let pool = Self.shutDownPool()
        let executor = TestExecutor()
        let mapped = executor.map([1, 2], timeout: .seconds(5), timer: pool) { $0 * 2 }
        #expect(Self.code(mapped) == .executorShutdown)
    }

    @Test("asCompleted with a deadline on a shut-down pool throws executorShutdown", .timeLimit(.minutes(1)))
    func asCompletedDeadline() async throws {
        let pool = Self.shutDownPool()
        let pending = Promise<Int>()
        var iterator = asCompleted([pending.future], timeout: .seconds(5), on: pool).makeAsyncIterator()
        await #expect {
            try await iterator.next()
        } throws: { ($0 as? FutureError)?.code == .executorShutdown }
        #expect(pending.future.isPending)
        pending.succeed(1)
    }
}
