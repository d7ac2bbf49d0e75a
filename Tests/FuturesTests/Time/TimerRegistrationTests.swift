import Futures
import FuturesTesting
import Testing

/// Whatever a timer-based operator registers (a timer job, a callback on its source or on an
/// attempt) it removes once it stops caring, however it ends.
@Suite("Timer-based operators leave nothing registered")
struct TimerRegistrationTests {
    @Test("a timeout beaten by its source cancels its timer job and keeps no callback")
    func timeoutBeatenBySource() throws {
        let executor = TestExecutor()
        let promise = Promise<Int>()
        let limited = promise.future.timeout(after: .seconds(5), on: executor)
        #expect(executor.pendingCount == 1)
        #expect(promise.future.registeredCallbackCount == 1)
        promise.succeed(1)
        #expect(try limited.get() == 1)
        #expect(executor.pendingCount == 0)
    }

    @Test("a cancelled timeout removes its callback from the source and cancels its timer")
    func cancelledTimeout() {
        let executor = TestExecutor()
        let promise = Promise<Int>()
        let limited = promise.future.timeout(after: .seconds(5), on: executor)
        #expect(limited.cancel())
        #expect(promise.future.registeredCallbackCount == 0)
        #expect(executor.pendingCount == 0)
        #expect(promise.future.isPending)
    }

    @Test("a timeout that fires on running work it cannot cancel removes its callback, and only its own")
    func firedTimeoutOnRunningWork() throws {
        let pool = ThreadPoolExecutor(threadCount: 1)
        defer { pool.shutdown() }
        let executor = TestExecutor()
        let started = Promise<Void>()
        let gate = Promise<Int>()
        let work = Future.async(on: pool) {
            started.succeed(())
            return try gate.future.get(timeout: .seconds(30))
        }
        try started.future.get(timeout: .seconds(30))
        let observed = Counter()
        work.onComplete { _ in observed.increment() }
        let limited = work.timeout(after: .seconds(1), on: executor)
        #expect(work.registeredCallbackCount == 2)
        executor.advance(by: .seconds(1))
        #expect((limited.error as? FutureError)?.code == .timedOut)
        #expect(work.isCancelRequested && work.isRunning)
        #expect(work.registeredCallbackCount == 1)  // the user's callback stays
        gate.succeed(9)
        #expect(try work.get(timeout: .seconds(30)) == 9)
        #expect(observed.value == 1)
    }

    @Test("a cancelled delay removes its callback from the pending source")
    func cancelledDelay() {
        let executor = TestExecutor()
        let promise = Promise<Int>()
        let delayed = promise.future.delay(by: .seconds(5), on: executor)
        #expect(promise.future.registeredCallbackCount == 1)
        #expect(delayed.cancel())
        #expect(promise.future.registeredCallbackCount == 0)
        promise.succeed(1)
        #expect(executor.pendingCount == 0)
    }

    @Test("a retry cancelled during its backoff leaves no job scheduled")
    func retryCancelledDuringBackoff() {
        let executor = TestExecutor()
        let result = retry(attempts: 3, backoff: .constant(.seconds(5)), on: executor) {
            Future<Int>.failed(TestError(1))
        }
        executor.runUntilIdle()
        #expect(executor.pendingCount == 1)
        #expect(result.cancel())
        #expect(executor.pendingCount == 0)
    }

    @Test("a retry cancelled during an attempt it cannot cancel removes its callback from the attempt")
    func retryCancelledDuringRunningAttempt() throws {
        let pool = ThreadPoolExecutor(threadCount: 1)
        defer { pool.shutdown() }
        let executor = TestExecutor()
        let started = Promise<Void>()
        let gate = Promise<Int>()
        let attempts = Recorder<Future<Int>>()
        let result = retry(attempts: 3, on: executor) {
            let attempt = Future.async(on: pool) {
                started.succeed(())
                return try gate.future.get(timeout: .seconds(30))
            }
            attempts.append(attempt)
            return attempt
        }
        executor.runUntilIdle()
        try started.future.get(timeout: .seconds(30))
        let attempt = try #require(attempts.values.first)
        #expect(attempt.registeredCallbackCount == 1)
        #expect(result.cancel())
        #expect(attempt.isCancelRequested && attempt.isRunning)
        #expect(attempt.registeredCallbackCount == 0)
        gate.succeed(2)
        #expect(try attempt.get(timeout: .seconds(30)) == 2)
        executor.runUntilIdle()
        #expect(attempts.values.count == 1)
        #expect(result.isCancelled)
    }
}
