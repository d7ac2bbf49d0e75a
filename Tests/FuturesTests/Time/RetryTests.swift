import Dispatch
import Foundation
import Futures
import FuturesTesting
import Testing

@Suite("retry: attempts, backoff and failure on virtual time")
struct RetryTests {
    @Test("a first attempt that succeeds is the only one, and runs on the executor")
    func firstAttemptSucceeds() throws {
        let executor = TestExecutor()
        let calls = Counter()
        let result = retry(attempts: 3, on: executor) {
            calls.increment()
            return Future.succeeded("ok")
        }
        #expect(calls.value == 0)
        #expect(result.isPending)
        executor.runUntilIdle()
        #expect(try result.get() == "ok")
        #expect(calls.value == 1)
        #expect(executor.pendingCount == 0)
    }

    @Test("each attempt starts after the backoff that follows the previous failure")
    func attemptsFollowTheBackoff() throws {
        let executor = TestExecutor()
        let start = executor.now
        let times = Recorder<Duration>()
        let result = retry(attempts: 4, backoff: .exponential(initial: .milliseconds(100)), on: executor) {
            times.append(executor.now - start)
            return times.values.count < 4
                ? Future<Int>.failed(Boom(attempt: times.values.count)) : .succeeded(times.values.count)
        }
        executor.advance(by: .seconds(10))
        #expect(try result.get() == 4)
        #expect(times.values == [.zero, .milliseconds(100), .milliseconds(300), .milliseconds(700)])
    }

    @Test("an attempt starts only once the previous one has failed")
    func attemptsNeverOverlap() {
        let executor = TestExecutor()
        let promises = Recorder<Promise<Int>>()
        let result = retry(attempts: 3, on: executor) {
            let promise = Promise<Int>()
            promises.append(promise)
            return promise.future
        }
        executor.runUntilIdle()
        #expect(promises.values.count == 1)
        executor.advance(by: .seconds(60))
        #expect(promises.values.count == 1)
        promises.values[0].fail(Boom(attempt: 1))
        #expect(promises.values.count == 1)
        executor.runUntilIdle()
        #expect(promises.values.count == 2)
        promises.values[1].succeed(2)
        #expect(result.isSucceeded)
    }

    @Test("when every attempt fails, the result carries the last error and a retry frame naming the attempt")
    func exhaustedAttempts() throws {
        let executor = TestExecutor()
        let calls = Counter()
        let failedLine = #line + 4
        let retryLine = #line + 1
        let result = retry(attempts: 3, backoff: .constant(.seconds(1)), on: executor) {
            calls.increment()
            return Future<Int>.failed(Boom(attempt: calls.value))
        }
        executor.advance(by: .seconds(1))
        #expect(result.isPending)
        executor.advance(by: .seconds(1))
        #expect(result.error as? Boom == Boom(attempt: 3))
        #expect(calls.value == 3)
        let frames = try #require(result.traceback?.frames)
        #expect(frames.map(\.operation) == ["Future.failed", "retry"])
        #expect(frames.map(\.role) == [.raised, .passedThrough])
        #expect(frames.map(\.line) == [UInt(failedLine), UInt(retryLine)])
        #expect(frames[1].inputIndex == 2)
        #expect(frames[1].inputCount == 3)
        #expect(executor.pendingCount == 0)
    }

    @Test("a printed retry frame counts attempts from one")
    func rendering() throws {
        let executor = TestExecutor()
        let result = retry(attempts: 2, on: executor) { Future<Int>.failed(Boom(attempt: 0)) }
        executor.runUntilIdle()
        let traceback = try #require(result.traceback)
        let lines = String(describing: traceback).split(separator: "\n").map(String.init)
        #expect(lines.contains("    retry: attempt 2 of 2 (passed through)"))
        #expect(lines.contains("    Future.failed (raised here)"))
    }

    @Test("shouldRetry returning false stops at once with that error")
    func shouldRetryStops() throws {
        let executor = TestExecutor()
        let seen = Recorder<Int>()
        let result = retry(
            attempts: 10,
            on: executor,
            shouldRetry: { error in
                let attempt = (error as? Boom)?.attempt ?? -1
                seen.append(attempt)
                return attempt < 2
            }
        ) {
            Future<Int>.failed(Boom(attempt: seen.values.count + 1))
        }
        executor.runUntilIdle()
        #expect(result.error as? Boom == Boom(attempt: 2))
        #expect(seen.values == [1, 2])
        let frames = try #require(result.traceback?.frames)
        #expect(frames.last?.inputIndex == 1)
        #expect(frames.last?.inputCount == 10)
    }

    @Test("a predicate that rejects everything makes one attempt; the last attempt is never judged")
    func predicateEdges() {
        let executor = TestExecutor()
        let calls = Counter()
        let judged = Counter()
        let rejected = retry(attempts: 5, on: executor, shouldRetry: { _ in false }) {
            calls.increment()
            return Future<Int>.failed(Boom(attempt: 1))
        }
        executor.runUntilIdle()
        #expect(rejected.isFailed)
        #expect(calls.value == 1)
        let single = retry(
            attempts: 1,
            on: executor,
            shouldRetry: { _ in
                judged.increment()
                return true
            }
        ) { Future<Int>.failed(Boom(attempt: 1)) }
        executor.runUntilIdle()
        #expect(single.isFailed)
        #expect(judged.value == 0)
    }

    @Test(
        "fewer than one attempt fails at once with invalidArgument and never calls the operation", arguments: [0, -1])
    func invalidAttempts(attempts: Int) throws {
        let executor = TestExecutor()
        let calls = Counter()
        let line = #line + 1
        let result = retry(attempts: attempts, on: executor) {
            calls.increment()
            return Future.succeeded(1)
        }
        let error = try #require(result.error as? FutureError)
        #expect(error.code == .invalidArgument)
        let frames = try #require(result.traceback?.frames)
        #expect(frames.map(\.operation) == ["retry"])
        #expect(frames[0].role == .raised)
        #expect(frames[0].line == UInt(line))
        executor.runUntilIdle()
        #expect(calls.value == 0)
        #expect(executor.pendingCount == 0)
    }

    @Test("a negative backoff is treated as zero: attempts follow without time passing")
    func negativeBackoff() throws {
        let executor = TestExecutor()
        let start = executor.now
        let calls = Counter()
        let result = retry(attempts: 3, backoff: .constant(.seconds(-5)), on: executor) {
            calls.increment()
            return calls.value < 3 ? Future<Int>.failed(Boom(attempt: calls.value)) : .succeeded(calls.value)
        }
        executor.runUntilIdle()
        #expect(try result.get() == 3)
        #expect(executor.now == start)
    }

    @Test("seeded jitter gives the same attempt times on every run")
    func jitteredRetryIsReproducible() {
        func attemptTimes() -> [Duration] {
            let executor = TestExecutor()
            let start = executor.now
            let times = Recorder<Duration>()
            let backoff: Backoff = .jittered(.exponential(initial: .seconds(1)), fraction: 0.5, seed: 99)
            _ = retry(attempts: 5, backoff: backoff, on: executor) {
                times.append(executor.now - start)
                return Future<Int>.failed(Boom(attempt: times.values.count))
            }
            executor.advance(by: .seconds(60))
            return times.values
        }
        let times = attemptTimes()
        #expect(times.count == 5)
        #expect(times == attemptTimes())
        #expect(times[1] >= .milliseconds(500) && times[1] <= .seconds(1))
    }

    // MARK: - Cancellation

    @Test("cancelling the result during a backoff cancels the wait and starts no further attempt")
    func cancelDuringBackoff() {
        let executor = TestExecutor()
        let calls = Counter()
        let result = retry(attempts: 5, backoff: .constant(.seconds(1)), on: executor) {
            calls.increment()
            return Future<Int>.failed(Boom(attempt: calls.value))
        }
        executor.runUntilIdle()
        #expect(executor.pendingCount == 1)
        #expect(result.cancel())
        #expect(executor.pendingCount == 0)
        executor.advance(by: .seconds(10))
        #expect(calls.value == 1)
        #expect(result.isCancelled)
    }

    @Test("cancelling the result cancels the attempt in flight")
    func cancelDuringAttempt() {
        let executor = TestExecutor()
        let promises = Recorder<Promise<Int>>()
        let result = retry(attempts: 5, on: executor) {
            let promise = Promise<Int>()
            promises.append(promise)
            return promise.future
        }
        executor.runUntilIdle()
        result.cancel()
        #expect(promises.values[0].future.isCancelled)
        executor.runUntilIdle()
        #expect(promises.values.count == 1)
        #expect(executor.pendingCount == 0)
    }

    @Test("cancelling the result before the first attempt runs means the operation is never called")
    func cancelBeforeFirstAttempt() {
        let executor = TestExecutor()
        let calls = Counter()
        let result = retry(attempts: 3, on: executor) {
            calls.increment()
            return Future.succeeded(1)
        }
        result.cancel()
        executor.runUntilIdle()
        #expect(calls.value == 0)
    }

    @Test("a timeout on a retry stops the retries and cancels the attempt in flight")
    func timeoutStopsRetry() throws {
        let executor = TestExecutor()
        let promises = Recorder<Promise<Int>>()
        let result = retry(attempts: 100, backoff: .constant(.seconds(1)), on: executor) {
            let promise = Promise<Int>()
            promises.append(promise)
            executor.execute(after: .milliseconds(500)) { promise.fail(Boom(attempt: promises.values.count)) }
            return promise.future
        }
        .timeout(after: .milliseconds(3200), on: executor)
        executor.advance(by: .milliseconds(3200))
        #expect((result.error as? FutureError)?.code == .timedOut)
        #expect(promises.values.count == 3)
        #expect(promises.values[2].future.isCancelled)
        #expect(promises.values[1].future.isFailed)
        executor.advance(by: .seconds(60))
        #expect(promises.values.count == 3)
        #expect(executor.pendingCount == 0)
    }

    // MARK: - Scale and real executors

    @Test("on a DispatchQueue a retry waits in real time and succeeds", .timeLimit(.minutes(1)))
    func dispatchQueueSmoke() throws {
        let queue = DispatchQueue(label: "retry-smoke")
        let calls = Counter()
        let result = retry(attempts: 3, backoff: .constant(.milliseconds(5)), on: queue) {
            calls.increment()
            return calls.value < 3 ? Future<Int>.failed(Boom(attempt: calls.value)) : .succeeded(calls.value)
        }
        #expect(try result.get(timeout: .seconds(10)) == 3)
        #expect(calls.value == 3)
    }
}

// MARK: - Stack safety

extension RetryTests {
    /// Run by CI in a release build too (`--filter StackSafety`).
    @Suite("retry: stack safety")
    struct StackSafety {
        @Test("a hundred thousand attempts that fail at once run in a loop, not by recursion")
        func manyAttempts() throws {
            let executor = TestExecutor()
            let calls = Counter()
            let result = retry(attempts: 100_000, on: executor) {
                calls.increment()
                return Future<Int>.failed(Boom(attempt: calls.value))
            }
            executor.runUntilIdle()
            #expect(calls.value == 100_000)
            #expect(result.error as? Boom == Boom(attempt: 100_000))
            let frames = try #require(result.traceback?.frames)
            #expect(frames.last?.inputIndex == 99_999)
            #expect(frames.last?.inputCount == 100_000)
        }
    }
}

// MARK: - Helpers

private struct Boom: Error, Equatable {
    var attempt: Int
}
