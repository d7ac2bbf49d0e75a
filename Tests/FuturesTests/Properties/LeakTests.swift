import Dispatch
import Futures
import FuturesTesting
import Testing

/// What `LifetimeTests` does not cover: after timeouts fire or are beaten, after retries, after
/// `Future.async` work on a pool and after combining, weak references to the futures, promises and
/// captured objects are all `nil`.
@Suite("Leaks: timeouts, retries, pool work and combinators release everything")
struct LeakTests {
    final class Payload: Sendable {}

    // MARK: - Timeouts

    @Test("a timeout that fires releases its source, its promise, its result and their captures")
    func firedTimeout() throws {
        let executor = TestExecutor()
        let refs = WeakRefs()
        do {
            let promise = Promise<Int>()
            let capture = Payload()
            promise.future.onComplete { _ in _ = capture }
            let result = promise.future.timeout(after: .seconds(1), on: executor)
            refs.add(promise, promise.future, result, capture)
            executor.advance(by: .seconds(1))
            #expect((result.error as? FutureError)?.code == .timedOut)
            #expect(promise.future.isCancelled)
        }
        #expect(refs.alive == 0)
        #expect(executor.pendingCount == 0)
    }

    @Test("a timeout beaten by its source releases everything and leaves no timer behind")
    func beatenTimeout() throws {
        let executor = TestExecutor()
        let refs = WeakRefs()
        do {
            let promise = Promise<Int>()
            let capture = Payload()
            let source = promise.future.map { value in
                _ = capture
                return value + 1
            }
            let result = source.timeout(after: .seconds(3600), on: executor)
            refs.add(promise, promise.future, source, result, capture)
            promise.succeed(1)
            #expect(try result.get() == 2)
        }
        #expect(refs.alive == 0)
        #expect(executor.pendingCount == 0)
    }

    @Test("a timeout beaten on a pool releases everything at once, although the pool's timer is not yet due")
    func beatenTimeoutOnPool() throws {
        let pool = ThreadPoolExecutor(threadCount: 1)
        let refs = WeakRefs()
        do {
            let promise = Promise<Int>()
            let capture = Payload()
            let result = promise.future.map { value in
                _ = capture
                return value
            }.timeout(after: .seconds(3600), on: pool)
            refs.add(promise, promise.future, result, capture)
            promise.succeed(3)
            #expect(result.result.map { try? $0.get() } == 3)
        }
        #expect(refs.alive == 0)
        pool.shutdown()
        #expect(pool.awaitTermination(timeout: .seconds(30)))
    }

    @Test("a timeout that fires on a pool releases everything once the pool has run its timer")
    func firedTimeoutOnPool() {
        let pool = ThreadPoolExecutor(threadCount: 1)
        let refs = WeakRefs()
        let results = Recorder<Int>()
        // Kept until the timer has fired: released earlier, it would fail the source as abandoned.
        var promise: Promise<Int>? = Promise()
        do {
            let capture = Payload()
            let result = promise!.future.map { value in
                _ = capture
                return value
            }.timeout(after: .milliseconds(1), on: pool)
            result.onFailure { results.append(OutcomeCode.of(error: $0)) }
            refs.add(promise!, promise!.future, result, capture)
        }
        pool.shutdown()
        #expect(pool.awaitTermination(timeout: .seconds(30)))
        #expect(results.values == [OutcomeCode.timedOut])
        promise = nil
        #expect(refs.alive == 0)
    }

    // MARK: - Retries

    @Test("a retry that succeeds after failures releases its attempts, its operation and its result")
    func retrySucceeds() throws {
        let executor = TestExecutor()
        let refs = WeakRefs()
        do {
            let capture = Payload()
            let calls = Counter()
            let result = retry(attempts: 3, backoff: .constant(.seconds(1)), on: executor) {
                _ = capture
                calls.increment()
                let attempt = calls.value < 3 ? Future<Int>.failed(TestError(calls.value)) : Future.succeeded(7)
                refs.add(attempt)
                return attempt
            }
            refs.add(result, capture)
            executor.advance(by: .seconds(2))
            #expect(try result.get() == 7)
            #expect(calls.value == 3)
        }
        #expect(refs.alive == 0)
        #expect(executor.pendingCount == 0)
    }

    @Test("a retry that runs out of attempts releases its attempts, its operation and its result")
    func retryFails() {
        let executor = TestExecutor()
        let refs = WeakRefs()
        do {
            let capture = Payload()
            let result = retry(attempts: 3, backoff: .constant(.seconds(1)), on: executor) {
                _ = capture
                let promise = Promise<Int>()
                executor.execute { promise.fail(TestError(1)) }
                refs.add(promise, promise.future)
                return promise.future
            }
            refs.add(result, capture)
            executor.advance(by: .seconds(5))
            #expect(result.error as? TestError == TestError(1))
        }
        #expect(refs.alive == 0)
        #expect(executor.pendingCount == 0)
    }

    @Test("a retry cancelled during its backoff releases its operation, its attempts and its result")
    func retryCancelledDuringBackoff() {
        let executor = TestExecutor()
        let refs = WeakRefs()
        do {
            let capture = Payload()
            let result = retry(attempts: 3, backoff: .constant(.seconds(3600)), on: executor) {
                _ = capture
                let attempt = Future<Int>.failed(TestError(2))
                refs.add(attempt)
                return attempt
            }
            refs.add(result, capture)
            executor.runUntilIdle()
            #expect(executor.pendingCount == 1)
            #expect(result.cancel())
        }
        #expect(refs.alive == 0)
        #expect(executor.pendingCount == 0)
    }

    @Test(
        "a retry cancelled during its backoff on a pool releases its operation and result before the backoff is due",
        .bug(
            id: "reliability-1",
            "Retry's backoff job keeps the Retrier, its operation and its result until the deadline")
    )
    func retryCancelledOnPool() {
        let pool = ThreadPoolExecutor(threadCount: 1)
        let refs = WeakRefs()
        let firstAttemptFailed = Recorder<Bool>()
        do {
            let capture = Payload()
            let result = retry(attempts: 2, backoff: .constant(.seconds(3600)), on: pool) {
                _ = capture
                let attempt = Future<Int>.failed(TestError(3))
                attempt.onFailure { _ in firstAttemptFailed.append(true) }
                return attempt
            }
            refs.add(result, capture)
            // Let the first attempt run and fail on the pool; the retry then waits for an hour.
            let idle = DispatchSemaphore(value: 0)
            pool.execute { idle.signal() }
            _ = idle.wait(timeout: .now() + 30)
            #expect(firstAttemptFailed.values == [true])
            #expect(result.cancel())
        }
        #expect(refs.alive == 0)
        pool.shutdown()
        #expect(pool.awaitTermination(timeout: .seconds(30)))
    }

    // MARK: - Work on a pool

    @Test("Future.async work on a pool releases its closure, its captures and its future once it has run")
    func asyncWorkReleased() {
        let pool = ThreadPoolExecutor(threadCount: 2)
        let refs = WeakRefs()
        let values = Recorder<Int>()
        do {
            for index in 0..<100 {
                let capture = Payload()
                let future = Future.async(on: pool) {
                    _ = capture
                    if index % 3 == 0 { throw TestError(index) }
                    return index
                }
                future.map { $0 * 2 }.onSuccess { values.append($0) }
                refs.add(future, capture)
            }
        }
        pool.shutdown()
        #expect(pool.awaitTermination(timeout: .seconds(30)))
        #expect(values.values.sorted() == (0..<100).filter { $0 % 3 != 0 }.map { $0 * 2 })
        #expect(refs.alive == 0)
    }

    @Test("Future.async work cancelled before it starts releases its closure and its captures")
    func cancelledAsyncWorkReleased() {
        let pool = ThreadPoolExecutor(threadCount: 1)
        let refs = WeakRefs()
        let ran = Counter()
        let gate = DispatchSemaphore(value: 0)
        pool.execute { gate.wait() }
        do {
            let capture = Payload()
            let future = Future.async(on: pool) {
                _ = capture
                ran.increment()
                return 1
            }
            #expect(future.cancel())
            refs.add(future, capture)
        }
        gate.signal()
        pool.shutdown()
        #expect(pool.awaitTermination(timeout: .seconds(30)))
        #expect(ran.value == 0)
        #expect(refs.alive == 0)
    }

    @Test("Future.async work observing its cancellation request releases everything once it has returned")
    func observingAsyncWorkReleased() {
        let pool = ThreadPoolExecutor(threadCount: 1)
        let refs = WeakRefs()
        let started = DispatchSemaphore(value: 0)
        let proceed = DispatchSemaphore(value: 0)
        let outcomes = Recorder<Int>()
        do {
            let capture = Payload()
            let future = Future.async(on: pool) { request in
                _ = capture
                started.signal()
                proceed.wait()
                try request.checkCancellation()
                return 1
            }
            future.onComplete { outcomes.append(OutcomeCode.of($0)!) }
            refs.add(future, capture)
            started.wait()
            #expect(!future.cancel())
            #expect(future.isCancelRequested)
        }
        proceed.signal()
        pool.shutdown()
        #expect(pool.awaitTermination(timeout: .seconds(30)))
        #expect(outcomes.values == [OutcomeCode.cancelled])
        #expect(refs.alive == 0)
    }

    // MARK: - Combinators

    @Test("combining releases its inputs and their captures once it has succeeded", arguments: [false, true])
    func combineSucceeds(failFast: Bool) throws {
        let refs = WeakRefs()
        var combined: Future<[Int]>?
        do {
            let promises = (0..<4).map { _ in Promise<Int>() }
            let inputs = promises.enumerated().map { index, promise in
                let capture = Payload()
                refs.add(capture)
                return promise.future.map { value in
                    _ = capture
                    return value + index
                }
            }
            combined = combineFutures(inputs, failFast: failFast)
            for promise in promises.reversed() { promise.succeed(10) }
            refs.add(promises[0], promises[0].future, inputs[0], inputs[3])
        }
        #expect(try combined?.get() == [10, 11, 12, 13])
        #expect(refs.alive == 0)
    }

    @Test("combining releases its inputs once it has failed, also when it failed fast", arguments: [false, true])
    func combineFails(failFast: Bool) throws {
        let refs = WeakRefs()
        var combined: Future<[Int]>?
        var late: Promise<Int>?
        do {
            let failing = Promise<Int>()
            let pending = Promise<Int>()
            let capture = Payload()
            let input = pending.future.map { value in
                _ = capture
                return value
            }
            combined = combineFutures([failing.future, input], failFast: failFast)
            failing.fail(TestError(5))
            #expect(combined?.isDone == failFast)
            refs.add(failing, failing.future, input, capture)
            late = pending
        }
        late?.succeed(1)
        late = nil
        #expect(combined?.error as? TestError == TestError(5))
        #expect(refs.alive == 0)
    }

    @Test("a race releases its losers and their captures once they complete, and its result keeps none of them")
    func raceReleasesLosers() throws {
        let refs = WeakRefs()
        var first: Future<Int>?
        var succeeded: Future<Int>?
        var results: Future<[Result<Int, any Error>]>?
        do {
            let promises = (0..<3).map { _ in Promise<Int>() }
            let inputs = promises.map { promise in
                let capture = Payload()
                refs.add(capture, promise, promise.future)
                return promise.future.map { value in
                    _ = capture
                    return value
                }
            }
            refs.add(inputs[0], inputs[1], inputs[2])
            first = firstCompleted(inputs)
            succeeded = firstSucceeded(inputs)
            results = combineResults(inputs)
            promises[1].fail(TestError(1))
            promises[2].succeed(2)
            #expect(first?.error as? TestError == TestError(1))
            #expect(try succeeded?.get() == 2)
            promises[0].succeed(0)
        }
        #expect(results?.result.map { (try? $0.get())?.count } == 3)
        #expect(refs.alive == 0)
    }

    @Test("a completion queue releases the futures it handed out, and the ones still in it when it goes")
    func completionQueueReleases() {
        let refs = WeakRefs()
        do {
            let queue = CompletionQueue<Int>()
            let promises = (0..<4).map { _ in Promise<Int>() }
            queue.put(contentsOf: promises.map(\.future))
            for promise in promises { refs.add(promise, promise.future) }
            promises[2].succeed(2)
            #expect(queue.get(timeout: .zero) === promises[2].future)
            promises[0].succeed(0)
        }
        #expect(refs.alive == 0)
    }

    // MARK: - Test executors

    @Test("a test executor released with a stage's job still queued releases the job and fails the stage at once")
    func testExecutorReleasedWithQueuedStage() throws {
        let refs = WeakRefs()
        var result: Future<Int>?
        do {
            let executor = TestExecutor()
            let capture = Payload()
            result = Future.succeeded(1).map(on: executor) { value in
                _ = capture
                return value
            }
            refs.add(executor, capture)
        }
        #expect(refs.alive == 0)
        let error = try #require(result?.error as? FutureError)
        #expect(error.code == .abandoned)
        #expect(error.message.contains("TestExecutor created at FuturesTests/LeakTests.swift:"))
        #expect(error.message.contains("released with 1 job queued"))
    }

    @Test("a test executor released with a job queued for a pipeline of several stages on it releases them all")
    func testExecutorReleasedWithQueuedPipeline() {
        let refs = WeakRefs()
        do {
            let executor = TestExecutor()
            let capture = Payload()
            let result = Future.succeeded(1).map(on: executor) { $0 + 1 }.map(on: executor) { value in
                _ = capture
                return value
            }
            refs.add(executor, capture, result)
        }
        #expect(refs.alive == 0)
    }

    @Test(
        "a test executor released while a retry waits out its backoff releases the retry and its captures",
        .bug(id: "reliability-2", "The retry's state holds its executor, and the executor holds the backoff job")
    )
    func testExecutorReleasedDuringBackoff() {
        let refs = WeakRefs()
        do {
            let executor = TestExecutor()
            let capture = Payload()
            let result = retry(attempts: 2, backoff: .constant(.seconds(3600)), on: executor) {
                _ = capture
                return Future<Int>.failed(TestError(4))
            }
            executor.runUntilIdle()
            #expect(executor.pendingCount == 1)
            refs.add(executor, capture, result)
        }
        #expect(refs.alive == 0)
    }

    @Test("a retry whose test executor is released during its backoff fails with .abandoned, naming the executor")
    func heldRetryFailsWhenItsExecutorIsReleased() throws {
        let result: Future<Int>
        do {
            let executor = TestExecutor()
            result = retry(attempts: 3, backoff: .constant(.seconds(3600)), on: executor) {
                Future<Int>.failed(TestError(5))
            }
            executor.runUntilIdle()
            #expect(result.isPending)
        }
        let error = try #require(result.error as? FutureError)
        #expect(error.code == .abandoned)
        #expect(error.message.contains("TestExecutor"))
        #expect(error.message.contains("attempt 2 of 3"))
    }

    @Test(
        "a timer job's closure is released at its deadline, so what the release triggers runs then too",
        .bug(id: "reliability-5", "TestExecutor.advance keeps a timer job's closure until after the ready jobs it ran")
    )
    func timerJobReleasedAtItsDeadline() {
        for laterTimer in [false, true] {
            let executor = TestExecutor()
            let origin = executor.now
            var promise: Promise<Int>? = Promise()
            let future = promise!.future
            let recovered = future.recover(on: executor) { _ in 1 }
            let times = Recorder<Duration>()
            recovered.onComplete { _ in times.append(executor.now - origin) }
            executor.execute(after: .seconds(1)) { [promise] in _ = promise }  // holds the last reference
            promise = nil
            if laterTimer { executor.execute(after: .seconds(2)) {} }
            executor.advance(by: .seconds(laterTimer ? 2 : 1))
            #expect((future.error as? FutureError)?.code == .abandoned)
            // Read into locals: a failed expectation on a future itself would reflect it (reliability-6).
            let pending = executor.pendingCount
            let completedAt = times.values
            #expect(pending == 0)
            #expect(completedAt == [.seconds(1)])
        }
    }
}
