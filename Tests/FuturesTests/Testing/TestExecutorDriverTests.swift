import Dispatch
import Foundation
import Futures
import FuturesTesting
import Testing

@Suite("TestExecutor: driving a pipeline to its answer from any thread")
struct TestExecutorDriverTests {
    // MARK: - run(until:)

    @Test("run(until:) runs the jobs a future needs and returns its value or throws its error")
    func runUntilReturnsOrThrows() throws {
        let executor = TestExecutor()
        let doubled = Future.succeeded(21).map(on: executor) { $0 * 2 }
        #expect(doubled.isPending)
        #expect(try executor.run(until: doubled) == 42)
        let failed = Future.succeeded(1).map(on: executor) { _ -> Int in throw TestError(7) }
        #expect(throws: TestError(7)) { try executor.run(until: failed) }
    }

    @Test("run(until:) on an idle executor throws wouldDeadlock at once, naming the next deadline")
    func idleExecutorNamesNextDeadline() throws {
        let executor = TestExecutor()
        let late = Future.succeeded(1, after: .milliseconds(1500), on: executor)
        let start = ContinuousClock.now
        let error = #expect(throws: FutureError.self) { try executor.run(until: late) }
        #expect(ContinuousClock.now - start < .seconds(10))
        #expect(error?.code == .wouldDeadlock)
        #expect(error?.message.contains("went idle") == true)
        #expect(error?.message.contains("next timer is due at 1.5 seconds") == true)
        #expect(late.isPending)
        #expect(try executor.run(until: late, advancingTime: true) == 1)
        #expect(executor.elapsed == .milliseconds(1500))
    }

    @Test("run(until:) with no timer left says that nothing can complete the future")
    func idleWithoutTimer() throws {
        let executor = TestExecutor()
        let promise = Promise<Int>()
        let stage = promise.future.map(on: executor) { $0 }
        let error = #expect(throws: FutureError.self) { try executor.run(until: stage) }
        #expect(error?.message.contains("no timer is scheduled") == true)
        promise.succeed(3)
        #expect(try executor.run(until: stage) == 3)
    }

    @Test("run(until:advancingTime:) plays a retry with backoff and a timeout out in virtual time")
    func advancingTimeRunsRetryAndTimeout() throws {
        let executor = TestExecutor()
        let attempts = Recorder<Duration>()
        let answer = retry(attempts: 3, backoff: .constant(.seconds(2)), on: executor) {
            attempts.append(executor.elapsed)
            return attempts.values.count < 3 ? Future<String>.failed(TestError(1)) : .succeeded("pong")
        }
        .timeout(after: .seconds(60), on: executor)
        #expect(try executor.run(until: answer, advancingTime: true) == "pong")
        #expect(attempts.values == [.zero, .seconds(2), .seconds(4)])
        #expect(executor.elapsed == .seconds(4))
        #expect(executor.pendingCount == 0, "the timeout's timer was cancelled")
    }

    @Test("run(until:) waits for a thread-pool stage, and moves time only once it has finished")
    func waitsForPoolStage() throws {
        let pool = ThreadPoolExecutor(threadCount: 2)
        defer { pool.shutdown() }
        let executor = TestExecutor()
        let answer = Future.succeeded(20).map(on: executor) { $0 + 1 }
            .map(on: pool) { value -> Int in
                Thread.sleep(forTimeInterval: 0.02)
                return value * 2
            }
            .map(on: executor) { $0 }
            .timeout(after: .seconds(1), on: executor)
        #expect(try executor.run(until: answer, advancingTime: true) == 42)
        #expect(executor.elapsed == .zero)
    }

    @Test("run(until:) drives the executor from any thread, whichever thread created it")
    func drivesFromAnotherThread() throws {
        let executor = TestExecutor()
        let doubled = Future.succeeded(21).map(on: executor) { $0 * 2 }
        let answer = Future.async(on: DispatchQueue.global()) { try executor.run(until: doubled) }
        #expect(answer.wait(timeout: .seconds(30)))
        #expect(try answer.get() == 42)
    }

    // MARK: - run()

    @Test("run() runs every job and timer, moving time from deadline to deadline, until none is left")
    func runUntilExhausted() {
        let executor = TestExecutor()
        let log = Recorder<String>()
        executor.execute { log.append("ready") }
        executor.execute(after: .seconds(2)) {
            log.append("two at \(executor.elapsed)")
            executor.execute(after: .seconds(1)) { log.append("three at \(executor.elapsed)") }
        }
        #expect(executor.run() == 3)
        #expect(log.values == ["ready", "two at 2.0 seconds", "three at 3.0 seconds"])
        #expect(executor.pendingCount == 0)
        #expect(executor.elapsed == .seconds(3))
    }

    // MARK: - Misuse, reported at once

    @Test("a blocking get on a stage of a test executor that nothing drives throws wouldDeadlock at once")
    func undrivenStage() {
        let executor = TestExecutor()
        let doubled = Future.succeeded(21).map(on: executor) { $0 * 2 }
        let start = ContinuousClock.now
        let error = #expect(throws: FutureError.self) { try doubled.get(timeout: .seconds(30)) }
        #expect(ContinuousClock.now - start < .seconds(10))
        #expect(error?.code == .wouldDeadlock)
        #expect(error?.message.contains("run(until:") == true)
        #expect(executor.pendingCount == 1)
    }

    @Test("a stage on a test executor that is gone fails with abandoned, naming the executor")
    func releasedExecutorFailsStage() throws {
        let promise = Promise<Int>()
        let stage = promise.future.map(on: TestExecutor()) { $0 * 2 }
        promise.succeed(1)
        let error = try #require(stage.error as? FutureError)
        #expect(error.code == .abandoned)
        #expect(error.message.contains("TestExecutor created at FuturesTests/TestExecutorDriverTests.swift:"))
    }

    // MARK: - Async tests

    @Test(
        "an async test drives retry, timeout and a pool stage to the same answer 100 times, hopping tasks",
        .timeLimit(.minutes(1))
    )
    func asyncDriverIsDeterministic() async throws {
        let pool = ThreadPoolExecutor(threadCount: 2)
        defer { pool.shutdown() }
        var answers: Set<String> = []
        for round in 0..<100 {
            let executor = TestExecutor(seed: UInt64(round))
            let attempts = Recorder<Duration>()
            let answer = retry(attempts: 3, backoff: .exponential(initial: .seconds(1)), on: executor) {
                attempts.append(executor.elapsed)
                return Future.succeeded(attempts.values.count)
                    .map(on: pool) { attempt -> Int in
                        guard attempt == 3 else { throw TestError(attempt) }
                        return attempt * 10
                    }
            }
            .timeout(after: .seconds(30), on: executor)
            await Task.yield()
            let hopped = await Task.detached { round }.value
            let value = try executor.run(until: answer, advancingTime: true)
            await Task.yield()
            answers.insert("\(hopped == round) \(value) \(attempts.values) \(executor.elapsed)")
        }
        #expect(answers == ["true 30 [0.0 seconds, 1.0 seconds, 3.0 seconds] 3.0 seconds"])
    }

    @Test(
        "an async test may await a value that the executor's driver completes on another task", .timeLimit(.minutes(1)))
    func awaitWhileAnotherTaskDrives() async throws {
        let executor = TestExecutor()
        let answer = Future.succeeded(20).map(on: executor) { $0 + 1 }.delay(by: .seconds(5), on: executor)
        let driver = Task.detached { try executor.run(until: answer, advancingTime: true) }
        #expect(try await answer.value == 21)
        #expect(try await driver.value == 21)
    }
}
