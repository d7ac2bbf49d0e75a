import Foundation
import Futures
import FuturesTesting
import Testing

@Suite("TestExecutor: queued jobs and virtual time")
struct TestExecutorTests {
    // MARK: - Ready jobs

    @Test("runNext runs one ready job at a time, in submission order")
    func runNextOrder() {
        let executor = TestExecutor()
        let log = Log()
        for index in 0..<3 { executor.execute { log.append("\(index)") } }
        #expect(executor.pendingCount == 3)
        #expect(executor.runNext())
        #expect(log.all == ["0"])
        #expect(executor.runNext())
        #expect(executor.runNext())
        #expect(!executor.runNext())
        #expect(log.all == ["0", "1", "2"])
        #expect(executor.pendingCount == 0)
    }

    @Test("runUntilIdle runs the jobs that jobs submit, counts them, and never moves time")
    func runUntilIdleRunsNestedJobs() {
        let executor = TestExecutor()
        let start = executor.now
        let log = Log()
        executor.execute {
            log.append("outer")
            executor.execute { log.append("inner") }
            executor.execute(after: .zero) { log.append("zero delay") }
            executor.execute(after: .seconds(1)) { log.append("delayed") }
        }
        #expect(executor.runUntilIdle() == 3)
        #expect(log.all == ["outer", "inner", "zero delay"])
        #expect(executor.now == start)
        #expect(executor.pendingCount == 1)
    }

    @Test("a zero or negative delay makes a job ready at once")
    func nonPositiveDelayIsReady() {
        let executor = TestExecutor()
        let log = Log()
        executor.execute(after: .zero) { log.append("zero") }
        executor.execute(after: .seconds(-5)) { log.append("negative") }
        executor.runUntilIdle()
        #expect(log.all == ["zero", "negative"])
    }

    @Test("the same seed runs ready jobs in the same shuffled order, every job exactly once")
    func seededOrderIsReproducible() {
        func order(seed: UInt64) -> [String] {
            let executor = TestExecutor(seed: seed)
            let log = Log()
            for index in 0..<20 { executor.execute { log.append("\(index)") } }
            executor.runUntilIdle()
            return log.all
        }
        let first = order(seed: 7)
        #expect(first == order(seed: 7))
        #expect(Set(first) == Set((0..<20).map(String.init)))
        #expect(first.count == 20)
        #expect(first != (0..<20).map(String.init))
    }

    // MARK: - Virtual time

    @Test("advance runs each delayed job at its own deadline, where now is that deadline")
    func advanceRunsAtDeadlines() {
        let executor = TestExecutor()
        let start = executor.now
        let log = Log()
        for seconds in [3, 1, 2] {
            executor.execute(after: .seconds(seconds)) { log.append("\(seconds)s at \(executor.now - start)") }
        }
        executor.advance(by: .milliseconds(1500))
        #expect(log.all == ["1s at 1.0 seconds"])
        #expect(executor.now - start == .milliseconds(1500))
        executor.advance(by: .seconds(10))
        #expect(log.all == ["1s at 1.0 seconds", "2s at 2.0 seconds", "3s at 3.0 seconds"])
        #expect(executor.now - start == .milliseconds(11500))
    }

    @Test("a job due exactly at the end of the window runs; one a nanosecond later does not")
    func deadlineBoundary() {
        let executor = TestExecutor()
        let log = Log()
        executor.execute(after: .seconds(1)) { log.append("on time") }
        executor.execute(after: .seconds(1) + .nanoseconds(1)) { log.append("late") }
        executor.advance(by: .seconds(1))
        #expect(log.all == ["on time"])
        executor.advance(by: .nanoseconds(1))
        #expect(log.all == ["on time", "late"])
    }

    @Test("jobs scheduled inside the window run too, at their own deadlines")
    func jobsScheduledInsideTheWindow() {
        let executor = TestExecutor()
        let start = executor.now
        let log = Log()
        executor.execute(after: .seconds(1)) {
            log.append("first at \(executor.now - start)")
            executor.execute(after: .seconds(1)) { log.append("second at \(executor.now - start)") }
            executor.execute { log.append("ready at \(executor.now - start)") }
            executor.execute(after: .seconds(5)) { log.append("too late") }
        }
        executor.advance(by: .seconds(3))
        #expect(log.all == ["first at 1.0 seconds", "ready at 1.0 seconds", "second at 2.0 seconds"])
        #expect(executor.pendingCount == 1)
    }

    @Test("jobs due at the same instant run in submission order")
    func tiesRunInSubmissionOrder() {
        let executor = TestExecutor(seed: 3)
        let log = Log()
        for index in 0..<10 { executor.execute(after: .seconds(1)) { log.append("\(index)") } }
        executor.advance(by: .seconds(1))
        #expect(log.all == (0..<10).map(String.init))
    }

    @Test("ready jobs run before the clock moves to the first deadline")
    func readyJobsRunFirst() {
        let executor = TestExecutor()
        let start = executor.now
        let log = Log()
        executor.execute(after: .seconds(1)) { log.append("delayed") }
        executor.execute { log.append("ready at \(executor.now - start)") }
        executor.advance(by: .seconds(1))
        #expect(log.all == ["ready at 0.0 seconds", "delayed"])
    }

    @Test("advance(to:) an instant in the past runs only what is due and never moves time back")
    func advanceToThePast() {
        let executor = TestExecutor()
        let start = executor.now
        let log = Log()
        executor.execute { log.append("ready") }
        executor.execute(after: .seconds(1)) { log.append("delayed") }
        executor.advance(to: start - .seconds(1))
        #expect(log.all == ["ready"])
        #expect(executor.now == start)
        executor.advance(to: start + .seconds(1))
        #expect(log.all == ["ready", "delayed"])
        #expect(executor.now == start + .seconds(1))
    }

    // MARK: - Cancelling

    @Test("a cancelled delayed job never runs, is not counted, and its closure is released")
    func cancelledTimerIsReleased() {
        let executor = TestExecutor()
        weak var weakToken: Token?
        let job: ScheduledJob = {
            let token = Token()
            weakToken = token
            return executor.execute(after: .seconds(1)) { token.touch() }
        }()
        #expect(weakToken != nil)
        #expect(executor.pendingCount == 1)
        job.cancel()
        job.cancel()
        #expect(executor.pendingCount == 0)
        #expect(weakToken == nil)
        executor.advance(by: .seconds(2))
        #expect(executor.pendingCount == 0)
    }

    @Test("a cancelled zero-delay job never runs and is not counted")
    func cancelledReadyJob() {
        let executor = TestExecutor()
        let log = Log()
        let job = executor.execute(after: .zero) { log.append("cancelled") }
        executor.execute { log.append("kept") }
        #expect(executor.pendingCount == 2)
        job.cancel()
        #expect(executor.pendingCount == 1)
        #expect(executor.runUntilIdle() == 1)
        #expect(log.all == ["kept"])
    }

    @Test("cancelling many timers keeps the others in deadline order")
    func manyCancelledTimers() {
        let executor = TestExecutor()
        let log = Log()
        var jobs: [ScheduledJob] = []
        for index in 0..<1000 {
            jobs.append(executor.execute(after: .milliseconds(1000 - index)) { log.append("\(index)") })
        }
        for index in stride(from: 1, to: 1000, by: 2) { jobs[index].cancel() }
        #expect(executor.pendingCount == 500)
        executor.advance(by: .seconds(1))
        #expect(log.all == stride(from: 998, through: 0, by: -2).map(String.init))
        #expect(executor.pendingCount == 0)
    }

    @Test("cancelling a job after it ran is harmless")
    func cancelAfterRunning() {
        let executor = TestExecutor()
        let log = Log()
        let job = executor.execute(after: .seconds(1)) { log.append("ran") }
        executor.advance(by: .seconds(1))
        job.cancel()
        #expect(log.all == ["ran"])
        #expect(executor.pendingCount == 0)
    }

    // MARK: - Blocking waits

    @Test("a blocking get inside a job runs ready jobs, and fails with wouldDeadlock when none is left")
    func blockingGet() throws {
        let executor = TestExecutor()
        let doubled = Future.succeeded(21).map(on: executor) { $0 * 2 }
        #expect(try executor.insideAJob { try doubled.get() } == 42)
        let late = Future.succeeded(1, after: .seconds(1), on: executor)
        let error = #expect(throws: FutureError.self) { try executor.insideAJob { try late.get() } }
        #expect(error?.code == .wouldDeadlock)
        #expect(error?.message.contains("next timer is due at 1.0 seconds") == true)
        #expect(late.isPending)
    }
}

// MARK: - Helpers

/// Collects events from jobs, in order, from any thread.
private final class Log: @unchecked Sendable {
    // `entries` is read and written only under `lock`.
    private let lock = NSLock()
    private var entries: [String] = []

    func append(_ entry: String) { lock.withLock { entries.append(entry) } }
    var all: [String] { lock.withLock { entries } }
}

private final class Token: Sendable {
    func touch() {}

    @Test("a blocking wait with a timeout inside a job, for a future nothing can complete, fails at once")
    func blockingWaitWithTimeoutFailsAtOnce() throws {
        let executor = TestExecutor()
        let unrelated = Promise<Int>()
        let start = ContinuousClock.now
        let error = #expect(throws: FutureError.self) {
            try executor.insideAJob { try unrelated.future.get(timeout: .seconds(30)) }
        }
        #expect(error?.code == .wouldDeadlock)
        #expect(ContinuousClock.now - start < .seconds(10))
        #expect(executor.pendingCount == 0)
        unrelated.succeed(0)
    }
}
