import Dispatch
import Futures
import FuturesTesting
import Testing

@Suite("Future.timeout: a deadline on virtual time")
struct FutureTimeoutTests {
    @Test("a source that completes in time passes its value through and leaves nothing scheduled")
    func sourceWins() throws {
        let executor = TestExecutor()
        let promise = Promise<Int>()
        let result = promise.future.timeout(after: .seconds(2), on: executor)
        #expect(executor.pendingCount == 1)
        executor.advance(by: .seconds(1))
        #expect(result.isPending)
        promise.succeed(7)
        #expect(try result.get() == 7)
        #expect(executor.pendingCount == 0)
        executor.advance(by: .seconds(5))
        #expect(try result.get() == 7)
    }

    @Test("a failure that arrives in time keeps its traceback and gains a timeout frame")
    func sourceFailsInTime() throws {
        let executor = TestExecutor()
        let promiseLine = #line + 1
        let promise = Promise<Int>()
        let timeoutLine = #line + 1
        let result = promise.future.timeout(after: .seconds(2), on: executor)
        promise.fail(Boom(id: 1))
        #expect(result.error as? Boom == Boom(id: 1))
        let frames = try #require(result.traceback?.frames)
        #expect(frames.map(\.operation) == ["Promise", "timeout"])
        #expect(frames.map(\.role) == [.raised, .passedThrough])
        #expect(frames.map(\.line) == [UInt(promiseLine), UInt(timeoutLine)])
        #expect(frames[1].fileID == "FuturesTests/Future+TimeTests.swift")
        #expect(executor.pendingCount == 0)
    }

    @Test("at the deadline the result fails with timedOut, raised at the timeout frame")
    func timerWins() throws {
        let executor = TestExecutor()
        let promise = Promise<Int>()
        let line = #line + 1
        let result = promise.future.timeout(after: .seconds(2), on: executor)
        executor.advance(by: .seconds(2) - .nanoseconds(1))
        #expect(result.isPending)
        executor.advance(by: .nanoseconds(1))
        let error = try #require(result.error as? FutureError)
        #expect(error.code == .timedOut)
        #expect(!result.isCancelled)
        let frames = try #require(result.traceback?.frames)
        #expect(frames.count == 1)
        #expect(frames[0].operation == "timeout")
        #expect(frames[0].role == .raised)
        #expect(frames[0].line == UInt(line))
        #expect(frames[0].function == "timerWins()")
    }

    @Test("a timeout cancels the source, and the source's later completion changes nothing")
    func timerCancelsSource() throws {
        let executor = TestExecutor()
        let promise = Promise<Int>()
        let line = #line + 1
        let result = promise.future.timeout(after: .seconds(1), on: executor)
        executor.advance(by: .seconds(1))
        #expect(promise.future.isCancelled)
        #expect(promise.future.isCancelRequested)
        #expect(!promise.succeed(1))
        #expect((result.error as? FutureError)?.code == .timedOut)
        let sourceFrames = try #require(promise.future.traceback?.frames)
        #expect(sourceFrames.map(\.operation) == ["cancel"])
        #expect(sourceFrames[0].line == UInt(line))
    }

    @Test("timing out a derived future leaves a shared source alone for its other observers")
    func derivedFutureShieldsSource() throws {
        let executor = TestExecutor()
        let promise = Promise<Int>()
        let impatient = promise.future.map { $0 }.timeout(after: .seconds(1), on: executor)
        let patient = promise.future.map { $0 + 1 }
        executor.advance(by: .seconds(1))
        #expect((impatient.error as? FutureError)?.code == .timedOut)
        #expect(promise.future.isPending)
        promise.succeed(1)
        #expect(try patient.get() == 2)
    }

    @Test("an already completed source passes through without scheduling anything")
    func alreadyDone() throws {
        let executor = TestExecutor()
        #expect(try Future.succeeded(3).timeout(after: .seconds(1), on: executor).get() == 3)
        let failed = Future<Int>.failed(Boom(id: 2)).timeout(after: .zero, on: executor)
        #expect(failed.error as? Boom == Boom(id: 2))
        #expect(failed.traceback?.frames.map(\.operation) == ["Future.failed", "timeout"])
        #expect(executor.pendingCount == 0)
    }

    @Test("a zero or negative duration times a pending source out at once", arguments: [0, -1])
    func nonPositiveDuration(seconds: Int) {
        let executor = TestExecutor()
        let promise = Promise<Int>()
        let result = promise.future.timeout(after: .seconds(seconds), on: executor)
        #expect((result.error as? FutureError)?.code == .timedOut)
        #expect(promise.future.isCancelled)
        #expect(executor.pendingCount == 0)
    }

    @Test("cancelling the result cancels the timer and not the source")
    func cancelResult() {
        let executor = TestExecutor()
        let promise = Promise<Int>()
        let result = promise.future.timeout(after: .seconds(1), on: executor)
        #expect(result.cancel())
        #expect(result.isCancelled)
        #expect(executor.pendingCount == 0)
        #expect(promise.future.isPending)
        #expect(!promise.future.isCancelRequested)
    }

    @Test("a timeout that lost the race retains neither the value nor the futures")
    func nothingRetained() {
        let executor = TestExecutor()
        weak var weakValue: Payload?
        weak var weakResult: Future<Payload>?
        do {
            let promise = Promise<Payload>()
            let result = promise.future.timeout(after: .seconds(60), on: executor)
            weakResult = result
            let payload = Payload()
            weakValue = payload
            promise.succeed(payload)
            #expect(result.isSucceeded)
        }
        #expect(executor.pendingCount == 0)
        #expect(weakValue == nil)
        #expect(weakResult == nil)
    }

    @Test("timeouts of twenty thousand futures that all complete in time leave no job behind")
    func manyTimeouts() {
        let executor = TestExecutor()
        let promises = (0..<20_000).map { _ in Promise<Int>() }
        let results = promises.map { $0.future.timeout(after: .seconds(1), on: executor) }
        for (index, promise) in promises.enumerated() { promise.succeed(index) }
        #expect(executor.pendingCount == 0)
        #expect(results.allSatisfy { $0.isSucceeded })
    }

    @Test("on a DispatchQueue the timer fires in real time", .timeLimit(.minutes(1)))
    func dispatchQueueSmoke() throws {
        let queue = DispatchQueue(label: "timeout-smoke")
        let promise = Promise<Int>()
        let result = promise.future.timeout(after: .milliseconds(20), on: queue)
        #expect(result.wait(timeout: .seconds(10)))
        #expect((result.error as? FutureError)?.code == .timedOut)
        #expect(promise.future.isCancelled)
        let quick = Promise<Int>()
        let passed = quick.future.timeout(after: .seconds(10), on: queue)
        queue.async { quick.succeed(5) }
        #expect(try passed.get(timeout: .seconds(10)) == 5)
    }

    @Test(
        "races between the timer and the source on real threads end in one consistent outcome", .timeLimit(.minutes(1)))
    func realThreadRaces() {
        let timers = DispatchQueue(label: "timeout-race-timers")
        let completers = DispatchQueue(label: "timeout-race-completers", attributes: .concurrent)
        let promises = (0..<2_000).map { _ in Promise<Int>() }
        let results = promises.enumerated().map { index, promise in
            promise.future.timeout(after: .microseconds(index % 200), on: timers)
        }
        for (index, promise) in promises.enumerated() {
            completers.async { promise.succeed(index) }
        }
        for (index, result) in results.enumerated() {
            #expect(result.wait(timeout: .seconds(10)))
            switch result.result {
            case .success(let value)?:
                #expect(value == index)
                #expect(promises[index].future.isSucceeded)
            case .failure(let error)?:
                #expect((error as? FutureError)?.code == .timedOut)
                #expect(promises[index].future.isCancelRequested)
            case nil:
                Issue.record("result \(index) is still pending")
            }
        }
    }
}

@Suite("Future.delay, Future.succeeded(after:) and Future.sleep on virtual time")
struct FutureDelayTests {
    @Test("the outcome arrives the given time after the source completes, not after the call")
    func delaysFromCompletion() throws {
        let executor = TestExecutor()
        let start = executor.now
        let promise = Promise<String>()
        let delayed = promise.future.delay(by: .seconds(2), on: executor)
        executor.advance(by: .seconds(1))
        promise.succeed("late")
        #expect(executor.pendingCount == 1)
        executor.advance(by: .seconds(2) - .nanoseconds(1))
        #expect(delayed.isPending)
        let observed = Observed()
        delayed.onSuccess { _ in observed.instant = executor.now }
        executor.advance(by: .nanoseconds(1))
        #expect(try delayed.get() == "late")
        #expect(observed.instant == start + .seconds(3))
    }

    @Test("a failure is delayed too, keeps its error, and gains a delay frame")
    func delaysFailure() throws {
        let executor = TestExecutor()
        let line = #line + 1
        let delayed = Future<Int>.failed(Boom(id: 3)).delay(by: .seconds(1), on: executor)
        #expect(delayed.isPending)
        executor.advance(by: .seconds(1))
        #expect(delayed.error as? Boom == Boom(id: 3))
        let frames = try #require(delayed.traceback?.frames)
        #expect(frames.map(\.operation) == ["Future.failed", "delay"])
        #expect(frames.map(\.role) == [.raised, .passedThrough])
        #expect(frames[1].line == UInt(line))
    }

    @Test("a zero or negative delay delivers as soon as the executor runs the job", arguments: [0, -3])
    func nonPositiveDelay(seconds: Int) throws {
        let executor = TestExecutor()
        let start = executor.now
        let delayed = Future.succeeded(1).delay(by: .seconds(seconds), on: executor)
        #expect(delayed.isPending)
        #expect(executor.runUntilIdle() == 1)
        #expect(try delayed.get() == 1)
        #expect(executor.now == start)
    }

    @Test("cancelling the result cancels the pending job and leaves the source alone")
    func cancelWhileWaiting() {
        let executor = TestExecutor()
        let source = Future.succeeded(1)
        let delayed = source.delay(by: .seconds(1), on: executor)
        #expect(executor.pendingCount == 1)
        #expect(delayed.cancel())
        #expect(delayed.isCancelled)
        #expect(executor.pendingCount == 0)
        #expect(source.isSucceeded)
        #expect(!source.isCancelRequested)
    }

    @Test("a result cancelled before the source completes schedules nothing")
    func cancelBeforeSource() {
        let executor = TestExecutor()
        let promise = Promise<Int>()
        let delayed = promise.future.delay(by: .seconds(1), on: executor)
        delayed.cancel()
        promise.succeed(1)
        #expect(executor.pendingCount == 0)
        #expect(delayed.isCancelled)
        #expect(promise.future.isSucceeded)
    }

    @Test("succeeded(after:) and sleep(for:) complete at their deadline and can be cancelled")
    func succeededAfterAndSleep() throws {
        let executor = TestExecutor()
        let answer = Future.succeeded(42, after: .seconds(3), on: executor)
        let pause = Future.sleep(for: .seconds(1), on: executor)
        let cancelled = Future.sleep(for: .seconds(2), on: executor)
        #expect(executor.pendingCount == 3)
        cancelled.cancel()
        #expect(executor.pendingCount == 2)
        executor.advance(by: .seconds(1))
        #expect(pause.isSucceeded)
        #expect(answer.isPending)
        executor.advance(by: .seconds(2))
        #expect(try answer.get() == 42)
        #expect(cancelled.isCancelled)
    }

    @Test("a chain of delays adds up on virtual time")
    func chainedDelays() throws {
        let executor = TestExecutor()
        let start = executor.now
        let chain = Future.sleep(for: .seconds(1), on: executor)
            .flatMap { Future.sleep(for: .seconds(2), on: executor) }
            .delay(by: .seconds(3), on: executor)
            .map { executor.now - start }
        executor.advance(by: .seconds(10))
        #expect(try chain.get() == .seconds(6))
    }

    @Test("on a DispatchQueue the outcome arrives after a real delay", .timeLimit(.minutes(1)))
    func dispatchQueueSmoke() throws {
        let queue = DispatchQueue(label: "delay-smoke")
        let clock = ContinuousClock()
        let start = clock.now
        let delayed = Future.succeeded(9).delay(by: .milliseconds(20), on: queue)
        #expect(try delayed.get(timeout: .seconds(10)) == 9)
        #expect(clock.now - start >= .milliseconds(20))
        let slept = Future.sleep(for: .milliseconds(5), on: queue)
        #expect(slept.wait(timeout: .seconds(10)))
    }
}

// MARK: - Stack safety

/// Run by CI in a release build too (`--filter StackSafety`).
@Suite("Future.timeout and Future.delay: stack safety")
struct FutureTimeStackSafety {
    @Test("a chain of a hundred thousand timeouts completes in a loop and cancels every timer")
    func chainedTimeouts() throws {
        let executor = TestExecutor()
        let promise = Promise<Int>()
        var future = promise.future
        for _ in 0..<100_000 { future = future.timeout(after: .seconds(1), on: executor) }
        #expect(executor.pendingCount == 100_000)
        promise.succeed(1)
        #expect(try future.get() == 1)
        #expect(executor.pendingCount == 0)
    }

    @Test("a chain of a hundred thousand delays completes in a loop on virtual time")
    func chainedDelays() throws {
        let executor = TestExecutor()
        let start = executor.now
        var future = Future.succeeded(1)
        for _ in 0..<100_000 { future = future.delay(by: .nanoseconds(1), on: executor) }
        executor.advance(by: .microseconds(100))
        #expect(try future.get() == 1)
        #expect(executor.now - start == .microseconds(100))
    }

    @Test("a failure through a hundred thousand timeouts keeps every frame")
    func failureThroughChainedTimeouts() throws {
        let executor = TestExecutor()
        let promise = Promise<Int>()
        var future = promise.future
        for _ in 0..<100_000 { future = future.timeout(after: .seconds(1), on: executor) }
        promise.fail(Boom(id: 9))
        #expect(future.error as? Boom == Boom(id: 9))
        let frames = try #require(future.traceback?.frames)
        #expect(frames.count == 100_001)
        #expect(frames.last?.operation == "timeout")
    }
}

// MARK: - Helpers

private struct Boom: Error, Equatable {
    var id: Int
}

private final class Payload: Sendable {}

/// An instant recorded by a callback; read after the executor ran it, on the same thread.
private final class Observed: @unchecked Sendable {
    var instant: ContinuousClock.Instant?
}
