import Futures
import FuturesNIO
import NIOCore
import NIOEmbedded
import NIOPosix
import Testing

@Suite(
    "EventLoopExecutor: an event loop runs jobs, delayed jobs, timeouts and retries, and refuses work once shut down")
struct EventLoopExecutorTests {
    // MARK: - Embedded loop (deterministic)

    @Test("jobs wait for the embedded loop to run, then run in submission order")
    func jobsRunInOrderWhenTheLoopRuns() {
        let loop = EmbeddedEventLoop()
        let order = Recorder<Int>()
        for index in 0..<5 {
            loop.futureExecutor.execute { order.append(index) }
        }
        #expect(order.values.isEmpty)
        loop.run()
        #expect(order.values == [0, 1, 2, 3, 4])
    }

    @Test("a continuation bound to the loop runs when the loop runs")
    func continuationRunsOnTheLoop() throws {
        let loop = EmbeddedEventLoop()
        let promise = Promise<Int>()
        let doubled = promise.future.map(on: .eventLoop(loop)) { $0 * 2 }
        promise.succeed(21)
        #expect(doubled.isPending)
        loop.run()
        #expect(try doubled.get() == 42)
    }

    @Test("a delayed job runs when the embedded loop's virtual time reaches its deadline")
    func delayedJobRunsAtItsDeadline() {
        let loop = EmbeddedEventLoop()
        let ran = Recorder<Int>()
        loop.futureExecutor.execute(after: .seconds(5)) { ran.append(5) }
        loop.futureExecutor.execute(after: .seconds(2)) { ran.append(2) }
        loop.advanceTime(by: .seconds(4))
        #expect(ran.values == [2])
        loop.advanceTime(by: .seconds(1))
        #expect(ran.values == [2, 5])
    }

    @Test("a cancelled delayed job never runs")
    func cancelledDelayedJobNeverRuns() {
        let loop = EmbeddedEventLoop()
        let ran = Recorder<Int>()
        let job = loop.futureExecutor.execute(after: .seconds(1)) { ran.append(1) }
        job.cancel()
        job.cancel()
        loop.advanceTime(by: .seconds(10))
        #expect(ran.values.isEmpty)
    }

    @Test("the executor's clock follows the embedded loop's virtual time")
    func clockFollowsVirtualTime() {
        let loop = EmbeddedEventLoop()
        let start = loop.futureExecutor.now
        loop.advanceTime(by: .milliseconds(1500))
        #expect(loop.futureExecutor.now - start == .milliseconds(1500))
    }

    @Test("a timeout on the embedded loop fails a slow future with timedOut at the deadline")
    func timeoutFiresOnVirtualTime() throws {
        let loop = EmbeddedEventLoop()
        let promise = Promise<Int>()
        let limited = promise.future.timeout(after: .seconds(3), on: loop.futureExecutor)
        loop.advanceTime(by: .seconds(2))
        #expect(limited.isPending)
        loop.advanceTime(by: .seconds(1))
        let error = try #require(limited.error as? FutureError)
        #expect(error.code == .timedOut)
        promise.succeed(1)
    }

    @Test("retry on the embedded loop waits each backoff on virtual time")
    func retryWaitsTheBackoff() throws {
        let loop = EmbeddedEventLoop()
        let start = loop.futureExecutor.now
        let times = Recorder<Duration>()
        let result = retry(attempts: 3, backoff: .exponential(initial: .seconds(1)), on: loop.futureExecutor) {
            times.append(loop.futureExecutor.now - start)
            return times.values.count < 3 ? Future<Int>.failed(Boom()) : .succeeded(times.values.count)
        }
        loop.run()
        #expect(times.values == [.zero])
        loop.advanceTime(by: .seconds(10))
        #expect(try result.get() == 3)
        #expect(times.values == [.zero, .seconds(1), .seconds(3)])
    }

    @Test("after an embedded loop shuts down, work bound to it fails with executorShutdown")
    func embeddedLoopRefusesWorkAfterShutdown() throws {
        let loop = EmbeddedEventLoop()
        try loop.syncShutdownGracefully()
        #expect(loop.futureExecutor.tryExecute {} == false)
        let work = Future.async(on: loop.futureExecutor) { 1 }
        let error = try #require(work.error as? FutureError)
        #expect(error.code == .executorShutdown)
    }

    // MARK: - Multi-threaded group

    @Test("on a multi-threaded group, jobs run on the loop's thread in submission order")
    func jobsRunOnTheLoopThread() throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        defer { try? group.syncShutdownGracefully() }
        let loop = group.next()
        let order = Recorder<Int>()
        let onLoop = Recorder<Bool>()
        for index in 0..<1000 {
            loop.futureExecutor.execute {
                order.append(index)
                onLoop.append(loop.inEventLoop)
            }
        }
        let last = Future.async(on: loop.futureExecutor) { loop.inEventLoop }
        #expect(try last.get(timeout: .seconds(30)))
        #expect(order.values == Array(0..<1000))
        #expect(onLoop.values.allSatisfy { $0 })
    }

    @Test("on a multi-threaded group, a timeout fires and retry retries on the loop")
    func timeoutAndRetryOnAGroup() throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let executor = group.next().futureExecutor
        let never = Promise<Int>()
        let limited = never.future.timeout(after: .milliseconds(20), on: executor)
        #expect(limited.wait(timeout: .seconds(30)))
        #expect((limited.error as? FutureError)?.code == .timedOut)
        never.succeed(0)

        let attempts = Recorder<Bool>()
        let result = retry(attempts: 4, backoff: .constant(.milliseconds(5)), on: executor) {
            attempts.append(group.next().inEventLoop)
            return attempts.values.count < 4 ? Future<Int>.failed(Boom()) : .succeeded(attempts.values.count)
        }
        #expect(try result.get(timeout: .seconds(30)) == 4)
        #expect(attempts.values == [true, true, true, true])
    }

    @Test("after the group shuts down, work bound to its loop fails with executorShutdown")
    func groupRefusesWorkAfterShutdown() throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        try group.syncShutdownGracefully()

        let work = Future.async(on: loop.futureExecutor) { 1 }
        #expect((work.error as? FutureError)?.code == .executorShutdown)
        let mapped = Future.succeeded(1).map(on: loop.futureExecutor) { $0 + 1 }
        #expect((mapped.error as? FutureError)?.code == .executorShutdown)
    }

    @Test("after the group shuts down, delayed work is refused and timers fail with executorShutdown")
    func groupRefusesDelayedWorkAfterShutdown() throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let executor = group.next().futureExecutor
        try group.syncShutdownGracefully()

        #expect(executor.tryExecute(after: .seconds(1)) { Issue.record("a refused job ran") } == nil)
        let delayed = Future.succeeded(7).delay(by: .seconds(5), on: executor)
        #expect((delayed.error as? FutureError)?.code == .executorShutdown)
        let sleep = Future.sleep(for: .seconds(5), on: executor)
        #expect((sleep.error as? FutureError)?.code == .executorShutdown)
        let source = Promise<Int>()
        let limited = source.future.timeout(after: .seconds(5), on: executor)
        #expect((limited.error as? FutureError)?.code == .executorShutdown)
        source.succeed(1)
        #expect(try source.future.get() == 1)
    }

    @Test("after an embedded loop shuts down, delayed work is refused")
    func embeddedLoopRefusesDelayedWorkAfterShutdown() throws {
        let loop = EmbeddedEventLoop()
        try loop.syncShutdownGracefully()
        #expect(loop.futureExecutor.tryExecute(after: .seconds(1)) { Issue.record("a refused job ran") } == nil)
        let delayed = Future.succeeded(7).delay(by: .seconds(5), on: loop.futureExecutor)
        #expect((delayed.error as? FutureError)?.code == .executorShutdown)
    }

    @Test("after the group shuts down, raw jobs and delayed jobs run at once on the calling thread")
    func rawJobsRunInlineAfterShutdown() throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        try group.syncShutdownGracefully()
        let ran = Recorder<Int>()
        loop.futureExecutor.execute { ran.append(1) }
        loop.futureExecutor.execute(after: .seconds(3600)) { ran.append(2) }
        #expect(ran.values == [1, 2])
    }

    @Test("a delayed job still waiting when the group shuts down runs then, unless it was cancelled")
    func waitingDelayedJobRunsAtShutdown() throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let executor = group.next().futureExecutor
        let ran = Recorder<Int>()
        executor.execute(after: .seconds(3600)) { ran.append(1) }
        executor.execute(after: .seconds(3600)) { ran.append(2) }.cancel()
        try group.syncShutdownGracefully()
        #expect(ran.values == [1])
    }
}
