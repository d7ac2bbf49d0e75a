import Futures
import FuturesTesting
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A thread-safe log of values, for jobs running on real threads.
// `values` is read and written only under `lock`.
private func currentThread() -> UInt {
    #if canImport(Glibc)
    UInt(pthread_self())
    #else
    UInt(bitPattern: pthread_self())
    #endif
}

private let patience = Duration.seconds(10)

@Suite("ThreadPoolExecutor")
struct ThreadPoolExecutorTests {
    // MARK: - Running jobs

    @Test("every submitted job runs exactly once, on the pool's threads")
    func runsEveryJobOnPoolThreads() throws {
        let pool = ThreadPoolExecutor(threadCount: 2)
        defer { pool.shutdown() }
        let threads = Recorder<UInt>()
        let futures = (0..<1_000).map { index in
            Future.async(on: pool) { () -> Int in
                threads.append(currentThread())
                return index
            }
        }
        let values = try futures.map { try $0.get(timeout: patience) }
        #expect(values == Array(0..<1_000))
        let distinct = Set(threads.values)
        #expect(threads.values.count == 1_000)
        #expect(distinct.count <= 2)
        #expect(!distinct.contains(currentThread()))
    }

    @Test("a one-thread pool runs jobs in submission order")
    func runsInSubmissionOrder() throws {
        let pool = ThreadPoolExecutor(threadCount: 1)
        defer { pool.shutdown() }
        let order = Recorder<Int>()
        let done = Promise<Void>()
        for index in 0..<100 {
            pool.execute { order.append(index) }
        }
        pool.execute { done.succeed(()) }
        try done.future.get(timeout: patience)
        #expect(order.values == Array(0..<100))
    }

    @Test("a job can submit more work to its own pool")
    func submitsFromInsideAJob() throws {
        let pool = ThreadPoolExecutor(threadCount: 2)
        defer { pool.shutdown() }
        let outer = Future.async(on: pool) {
            Future.async(on: pool) { 20 }.map(on: pool) { $0 + 1 }
        }
        #expect(try outer.get(timeout: patience).get(timeout: patience) == 21)
    }

    @Test("a pool with no thread is refused with a precondition")
    func refusesZeroThreads() async {
        await #expect(processExitsWith: .failure) {
            _ = ThreadPoolExecutor(threadCount: 0)
        }
    }

    // MARK: - Delayed jobs

    @Test("a delayed job runs on the pool no earlier than its delay")
    func delayedJobWaitsForItsDelay() throws {
        let pool = ThreadPoolExecutor(threadCount: 2)
        defer { pool.shutdown() }
        let ran = Promise<ContinuousClock.Instant>()
        let start = pool.now
        pool.execute(after: .milliseconds(30)) { ran.succeed(.now) }
        let ranAt = try ran.future.get(timeout: patience)
        #expect(ranAt - start >= .milliseconds(30))
    }

    @Test("delayed jobs run in deadline order, whatever order they were scheduled in")
    func delayedJobsRunInDeadlineOrder() throws {
        let pool = ThreadPoolExecutor(threadCount: 1)
        defer { pool.shutdown() }
        let order = Recorder<String>()
        let done = Promise<Void>()
        pool.execute(after: .milliseconds(60)) {
            order.append("c")
            done.succeed(())
        }
        pool.execute(after: .milliseconds(20)) { order.append("a") }
        pool.execute(after: .milliseconds(40)) { order.append("b") }
        try done.future.get(timeout: patience)
        #expect(order.values == ["a", "b", "c"])
    }

    @Test("a cancelled delayed job never runs")
    func cancelledDelayedJobNeverRuns() throws {
        let pool = ThreadPoolExecutor(threadCount: 1)
        defer { pool.shutdown() }
        let order = Recorder<String>()
        let done = Promise<Void>()
        let cancelled = pool.execute(after: .milliseconds(10)) { order.append("cancelled") }
        cancelled.cancel()
        pool.execute(after: .milliseconds(30)) {
            order.append("kept")
            done.succeed(())
        }
        try done.future.get(timeout: patience)
        cancelled.cancel()
        #expect(order.values == ["kept"])
    }

    @Test("many cancelled delayed jobs do not keep the pool from running the live ones")
    func manyCancelledDelayedJobs() throws {
        let pool = ThreadPoolExecutor(threadCount: 2)
        defer { pool.shutdown() }
        let handles = (0..<1_000).map { _ in pool.execute(after: .seconds(3_600)) {} }
        for handle in handles { handle.cancel() }
        let ran = Promise<Int>()
        pool.execute(after: .zero) { ran.succeed(1) }
        #expect(try ran.future.get(timeout: patience) == 1)
        pool.shutdown()
        #expect(pool.awaitTermination(timeout: patience))
    }

    // MARK: - Shutting down

    @Test("work queued before shutdown still runs, and then the pool terminates")
    func queuedWorkRunsAfterShutdown() throws {
        let pool = ThreadPoolExecutor(threadCount: 1)
        let gate = Promise<Void>()
        let ran = Recorder<Int>()
        pool.execute { _ = gate.future.wait(timeout: patience) }
        let futures = (0..<50).map { index in
            Future.async(on: pool) { () -> Int in
                ran.append(index)
                return index
            }
        }
        pool.shutdown()
        #expect(pool.isShutDown)
        gate.succeed(())
        #expect(pool.awaitTermination(timeout: patience))
        #expect(pool.isTerminated)
        #expect(Set(ran.values) == Set(0..<50))
        #expect(futures.allSatisfy { $0.isSucceeded })
    }

    @Test("shutdown is idempotent")
    func shutdownIsIdempotent() {
        let pool = ThreadPoolExecutor(threadCount: 2)
        pool.shutdown()
        pool.shutdown()
        #expect(pool.awaitTermination(timeout: patience))
        pool.shutdown()
        #expect(pool.awaitTermination())
    }

    @Test("awaiting termination without shutdown times out")
    func awaitTerminationWithoutShutdownTimesOut() {
        let pool = ThreadPoolExecutor(threadCount: 1)
        defer { pool.shutdown() }
        #expect(!pool.awaitTermination(timeout: .milliseconds(20)))
        #expect(!pool.awaitTermination(timeout: .zero))
        #expect(!pool.isTerminated)
    }

    @Test("awaiting termination from one of the pool's own threads returns false at once")
    func awaitTerminationFromAWorker() throws {
        let pool = ThreadPoolExecutor(threadCount: 1)
        let answer = Future.async(on: pool) { () -> Bool in
            pool.shutdown()
            return pool.awaitTermination()
        }
        #expect(try answer.get(timeout: patience) == false)
        #expect(pool.awaitTermination(timeout: patience))
    }

    @Test("a delayed job scheduled before shutdown still runs at its deadline")
    func delayedJobRunsAfterShutdown() throws {
        let pool = ThreadPoolExecutor(threadCount: 1)
        let ran = Promise<Int>()
        pool.execute(after: .milliseconds(20)) { ran.succeed(7) }
        pool.shutdown()
        #expect(pool.awaitTermination(timeout: patience))
        #expect(ran.future.result.map { try? $0.get() } == 7)
    }

    @Test("cancelling the last delayed job lets a shut-down pool terminate")
    func cancellingDelayedJobLetsPoolTerminate() {
        let pool = ThreadPoolExecutor(threadCount: 2)
        let job = pool.execute(after: .seconds(3_600)) {}
        pool.shutdown()
        #expect(!pool.awaitTermination(timeout: .milliseconds(10)))
        job.cancel()
        #expect(pool.awaitTermination(timeout: patience))
    }

    @Test("Future.async on a shut-down pool fails with executorShutdown, raised at the call")
    func asyncAfterShutdownFails() throws {
        let pool = ThreadPoolExecutor(threadCount: 1)
        pool.shutdown()
        let future = Future.async(on: pool) { 1 }
        let line = UInt(#line) - 1
        #expect(future.isFailed)
        #expect((future.error as? FutureError)?.code == .executorShutdown)
        let frames = try #require(future.traceback?.frames)
        #expect(frames.map(\.operation) == ["Future.async"])
        #expect(frames.first?.role == .raised)
        #expect(frames.first?.line == line)
        #expect(frames.first?.fileID == #fileID)
    }

    @Test("a continuation bound to a shut-down pool fails with executorShutdown")
    func continuationAfterShutdownFails() throws {
        let pool = ThreadPoolExecutor(threadCount: 1)
        let promise = Promise<Int>()
        let mapped = promise.future.map(on: pool) { $0 + 1 }
        pool.shutdown()
        #expect(pool.awaitTermination(timeout: patience))
        promise.succeed(1)
        #expect((mapped.error as? FutureError)?.code == .executorShutdown)
        #expect(mapped.traceback?.frames.map(\.operation) == ["map"])
    }

    @Test("a callback bound to a shut-down pool runs on the completing thread instead")
    func callbackAfterShutdownRunsOnCompletingThread() {
        let pool = ThreadPoolExecutor(threadCount: 1)
        pool.shutdown()
        let promise = Promise<Int>()
        let seen = Recorder<UInt>()
        promise.future.onSuccess(on: pool) { _ in seen.append(currentThread()) }
        promise.succeed(1)
        #expect(seen.values == [currentThread()])
    }

    @Test("raw execute after shutdown runs the job on the calling thread at once")
    func rawExecuteAfterShutdownRunsInline() {
        let pool = ThreadPoolExecutor(threadCount: 1)
        pool.shutdown()
        let seen = Recorder<String>()
        pool.execute { seen.append("now") }
        pool.execute(after: .seconds(3_600)) { seen.append("early") }
        #expect(seen.values == ["now", "early"])
        #expect(!pool.tryExecute { seen.append("never") })
        #expect(seen.values == ["now", "early"])
    }

    @Test("releasing the last reference shuts the pool down after its queued work")
    func releasingThePoolShutsItDown() throws {
        weak var weakPool: ThreadPoolExecutor?
        let ran = Promise<Int>()
        do {
            let pool = ThreadPoolExecutor(threadCount: 1)
            weakPool = pool
            pool.execute { ran.succeed(3) }
        }
        #expect(weakPool == nil)
        #expect(try ran.future.get(timeout: patience) == 3)
    }

    // MARK: - Blocking inside jobs

    @Test("a one-thread pool's job that waits for work queued behind it completes")
    func waitingForQueuedWorkRunsIt() throws {
        let pool = ThreadPoolExecutor(threadCount: 1)
        defer { pool.shutdown() }
        let outer = Future.async(on: pool) { () -> Int in
            let inner = Future.async(on: pool) { 41 }
            let mapped = inner.map(on: pool) { $0 + 1 }
            return try mapped.get()
        }
        #expect(try outer.get(timeout: patience) == 42)
    }

    @Test("a job waiting for a promise completed from outside the pool wakes up")
    func waitingForAnOutsidePromise() throws {
        let pool = ThreadPoolExecutor(threadCount: 1)
        defer { pool.shutdown() }
        let started = Promise<Void>()
        let gate = Promise<Int>()
        let waiting = Future.async(on: pool) { () -> Int in
            started.succeed(())
            return try gate.future.get(timeout: patience) * 2
        }
        try started.future.get(timeout: patience)
        gate.succeed(21)
        #expect(try waiting.get(timeout: patience) == 42)
    }

    @Test("a blocked job of a one-thread pool runs a job submitted while it waits")
    func blockedJobRunsLaterSubmissions() throws {
        let pool = ThreadPoolExecutor(threadCount: 1)
        defer { pool.shutdown() }
        let started = Promise<Void>()
        let gate = Promise<Int>()
        let waiting = Future.async(on: pool) { () -> Int in
            started.succeed(())
            return try gate.future.get(timeout: patience)
        }
        try started.future.get(timeout: patience)
        pool.execute { gate.succeed(5) }
        #expect(try waiting.get(timeout: patience) == 5)
    }

    @Test("a job waiting for its own future fails with wouldDeadlock at once")
    func waitingForItselfWouldDeadlock() throws {
        let pool = ThreadPoolExecutor(threadCount: 1)
        defer { pool.shutdown() }
        let handle = Promise<Future<Int>>()
        let own = Future.async(on: pool) { () -> Int in
            try handle.future.get().get()
        }
        handle.succeed(own)
        _ = own.wait(timeout: patience)
        #expect((own.error as? FutureError)?.code == .wouldDeadlock)
    }

    @Test("two jobs of a one-thread pool waiting for each other fail with wouldDeadlock")
    func mutualWaitWouldDeadlock() throws {
        let pool = ThreadPoolExecutor(threadCount: 1)
        defer { pool.shutdown() }
        let handle = Promise<Future<Int>>()
        let first = Future.async(on: pool) { () -> Int in
            let second = Future.async(on: pool) { () -> Int in try handle.future.get().get() }
            return try second.get()
        }
        handle.succeed(first)
        _ = first.wait(timeout: patience)
        #expect((first.error as? FutureError)?.code == .wouldDeadlock)
    }

    @Test("a timed wait inside a job times out while the pool stays usable")
    func timedWaitInsideAJobTimesOut() throws {
        let pool = ThreadPoolExecutor(threadCount: 1)
        defer { pool.shutdown() }
        let never = Promise<Int>()
        let waiting = Future.async(on: pool) { try never.future.get(timeout: .milliseconds(20)) }
        _ = waiting.wait(timeout: patience)
        #expect((waiting.error as? FutureError)?.code == .timedOut)
        #expect(try Future.async(on: pool) { 5 }.get(timeout: patience) == 5)
        never.succeed(0)
    }
}
