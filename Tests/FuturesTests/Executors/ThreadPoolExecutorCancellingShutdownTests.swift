import Dispatch
import Futures
import Testing

/// `shutdown(cancellingPendingWork: true)` cancels the `Future.async` work that has not started
/// and runs every plain job, as Python's `shutdown(cancel_futures=True)` does for its futures.
@Suite("ThreadPoolExecutor: shutting down cancelling pending work")
struct ThreadPoolExecutorCancellingShutdownTests {
    /// A one-thread pool whose thread is held by a job until `gate` is signalled.
    ///
    /// The job blocks on a semaphore, not on a future: a pool thread blocked on a future runs the
    /// pool's queued jobs while it waits.
    static func busyPool(gate: DispatchSemaphore) throws -> (ThreadPoolExecutor, Future<Void>) {
        let pool = ThreadPoolExecutor(threadCount: 1)
        let started = Promise<Void>()
        let blocker = Future.async(on: pool) {
            started.succeed(())
            gate.wait()
        }
        try started.future.get(timeout: .seconds(30))
        return (pool, blocker)
    }

    @Test("queued Future.async work is cancelled before shutdown returns and never runs", .timeLimit(.minutes(1)))
    func queuedWorkIsCancelled() throws {
        let gate = DispatchSemaphore(value: 0)
        let (pool, blocker) = try Self.busyPool(gate: gate)
        let ran = Counter()
        let queued = (0..<3).map { index in
            Future.async(on: pool) {
                ran.increment()
                return index
            }
        }
        let line = UInt(#line + 1)
        pool.shutdown(cancellingPendingWork: true)
        for future in queued {
            #expect(future.isCancelled)
            #expect(throws: CancellationError.self) { try future.get() }
            #expect(future.traceback?.frames.first?.operation == "cancel")
            #expect(future.traceback?.frames.first?.line == line)
        }
        #expect(blocker.isRunning)  // running work is not interrupted
        gate.signal()
        #expect(pool.awaitTermination(timeout: .seconds(30)))
        #expect(blocker.isSucceeded)
        #expect(ran.value == 0)
    }

    @Test("plain jobs and continuations bound to the pool still run, in order", .timeLimit(.minutes(1)))
    func plainJobsStillRun() throws {
        let gate = DispatchSemaphore(value: 0)
        let (pool, _) = try Self.busyPool(gate: gate)
        let order = Recorder<String>()
        pool.execute { order.append("plain 1") }
        let work = Future.async(on: pool) { order.append("work") }
        let stage = Future.succeeded(1).map(on: pool) { value in
            order.append("map")
            return value + 1
        }
        pool.execute { order.append("plain 2") }
        pool.shutdown(cancellingPendingWork: true)
        #expect(work.isCancelled)
        gate.signal()
        #expect(pool.awaitTermination(timeout: .seconds(30)))
        #expect(order.values == ["plain 1", "map", "plain 2"])
        #expect(try stage.get() == 2)
    }

    @Test(
        "without cancelling, or after a plain shutdown, queued work runs as shutdown() promises",
        .timeLimit(.minutes(1)))
    func notCancelling() throws {
        let gate = DispatchSemaphore(value: 0)
        let (pool, _) = try Self.busyPool(gate: gate)
        let work = Future.async(on: pool) { 5 }
        pool.shutdown(cancellingPendingWork: false)
        #expect(work.isPending)
        gate.signal()
        #expect(try work.get(timeout: .seconds(30)) == 5)
        #expect(pool.awaitTermination(timeout: .seconds(30)))
    }

    @Test("cancelling after a plain shutdown cancels the work still queued", .timeLimit(.minutes(1)))
    func cancellingAfterPlainShutdown() throws {
        let gate = DispatchSemaphore(value: 0)
        let (pool, _) = try Self.busyPool(gate: gate)
        let work = Future.async(on: pool) { 5 }
        pool.shutdown()
        #expect(work.isPending)
        pool.shutdown(cancellingPendingWork: true)
        #expect(work.isCancelled)
        gate.signal()
        #expect(pool.awaitTermination(timeout: .seconds(30)))
        #expect(Future.async(on: pool) { 1 }.error.map { ($0 as? FutureError)?.code } == .executorShutdown)
    }
}
