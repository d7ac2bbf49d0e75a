import Futures
import FuturesTesting
import Testing

@Suite("firstCompleted and firstSucceeded")
struct FutureRaceTests {
    // MARK: - firstCompleted

    @Test("firstCompleted gives the outcome of the first input to complete")
    func firstCompletedValue() throws {
        let promises = (0..<3).map { _ in Promise<Int>() }
        let winner = firstCompleted(promises.map(\.future))
        #expect(winner.isPending)
        promises[2].succeed(2)
        promises[0].fail(TestError(0))
        #expect(try winner.get() == 2)
    }

    @Test("firstCompleted passes a first failure on with a firstCompleted frame naming the input")
    func firstCompletedFailure() throws {
        let promises = (0..<3).map { _ in Promise<Int>() }
        let line = UInt(#line + 1)
        let winner = firstCompleted(promises.map(\.future))
        promises[1].fail(TestError(1))
        promises[0].succeed(0)
        #expect(throws: TestError(1)) { try winner.get() }
        let frames = try #require(winner.traceback?.frames)
        #expect(frames.map(\.operation) == ["Promise", "firstCompleted"])
        #expect(frames.map(\.role) == [.raised, .passedThrough])
        #expect(frames[1].inputIndex == 1)
        #expect(frames[1].inputCount == 3)
        #expect(frames[1].line == line)
    }

    @Test("with inputs already done, the lowest-index done input wins")
    func firstCompletedAlreadyDone() throws {
        let pending = Promise<Int>()
        let winner = firstCompleted([pending.future, Future.failed(TestError(1)), Future.succeeded(2)])
        #expect(winner.isDone)
        #expect(throws: TestError(1)) { try winner.get() }
        #expect(winner.traceback?.frames.last?.inputIndex == 1)
        pending.succeed(0)
    }

    @Test("firstCompleted of no input fails with noInputs raised at its call site")
    func firstCompletedNoInputs() throws {
        let line = UInt(#line + 1)
        let winner = firstCompleted([Future<Int>]())
        let error = try #require(winner.error as? FutureError)
        #expect(error.code == .noInputs)
        let frames = try #require(winner.traceback?.frames)
        #expect(frames.map(\.operation) == ["firstCompleted"])
        #expect(frames.map(\.role) == [.raised])
        #expect(frames[0].line == line)
    }

    @Test("firstCompleted accepts the same future twice and cancels no input when cancelled")
    func firstCompletedSameFutureAndCancel() throws {
        let promise = Promise<Int>()
        let winner = firstCompleted([promise.future, promise.future])
        #expect(winner.cancel())
        #expect(promise.future.isPending)
        promise.succeed(1)
        #expect(winner.isCancelled)
        #expect(try firstCompleted([promise.future, promise.future]).get() == 1)
    }

    @Test("under many schedules firstCompleted gives the input that completed first")
    func firstCompletedFollowsCompletionOrder() {
        var mismatches: [UInt64] = []
        for seed in 0..<(CombineDeterminismTests.seeds / 10) {
            let executor = TestExecutor(seed: seed)
            let failing = SeededInputs.failing(count: 6, seed: seed)
            let inputs = SeededInputs.make(count: 6, failing: failing, on: executor)
            let order = Recorder<Int>()
            for (index, input) in inputs.enumerated() { input.onComplete { _ in order.append(index) } }
            let line = UInt(#line + 1)
            let winner = firstCompleted(inputs)
            executor.runUntilIdle()
            let first = order.values[0]
            let expected =
                failing.contains(first)
                ? Answer.expected(
                    failing: [first], count: 6, operation: "firstCompleted", line: line, fileID: #fileID, values: -1)
                : .value(first)
            let answer = Answer(winner)
            if answer != expected { mismatches.append(seed) }
        }
        #expect(mismatches.isEmpty, "seeds with another winner: \(mismatches.prefix(10))")
    }

    // MARK: - firstSucceeded

    @Test("firstSucceeded gives the first success, even after failures")
    func firstSucceededValue() throws {
        let promises = (0..<3).map { _ in Promise<Int>() }
        let winner = firstSucceeded(promises.map(\.future))
        promises[0].fail(TestError(0))
        promises[2].fail(TestError(2))
        #expect(winner.isPending)
        promises[1].succeed(1)
        #expect(try winner.get() == 1)
    }

    @Test("when every input fails, firstSucceeded fails with the lowest-index failure")
    func firstSucceededAllFail() throws {
        let promises = (0..<3).map { _ in Promise<Int>() }
        let line = UInt(#line + 1)
        let winner = firstSucceeded(promises.map(\.future))
        promises[2].fail(TestError(2))
        promises[0].fail(TestError(0))
        #expect(winner.isPending)
        promises[1].future.cancel()
        #expect(throws: TestError(0)) { try winner.get() }
        let frames = try #require(winner.traceback?.frames)
        #expect(frames.map(\.operation) == ["Promise", "firstSucceeded"])
        #expect(frames.map(\.role) == [.raised, .passedThrough])
        #expect(frames[1].inputIndex == 0)
        #expect(frames[1].inputCount == 3)
        #expect(frames[1].line == line)
    }

    @Test("with inputs already done, the lowest-index success wins")
    func firstSucceededAlreadyDone() throws {
        let pending = Promise<Int>()
        let winner = firstSucceeded([
            Future.failed(TestError(0)), pending.future, Future.succeeded(2), Future.succeeded(3),
        ])
        #expect(try winner.get() == 2)
        pending.succeed(1)
        #expect(try winner.get() == 2)
    }

    @Test("already-failed inputs count when the rest fail later")
    func firstSucceededMixedFailures() throws {
        let pending = Promise<Int>()
        let winner = firstSucceeded([pending.future, Future.failed(TestError(1)), pending.future])
        #expect(winner.isPending)
        pending.fail(TestError(0))
        #expect(throws: TestError(0)) { try winner.get() }
        #expect(winner.traceback?.frames.last?.inputIndex == 0)
    }

    @Test("firstSucceeded of no input fails with noInputs")
    func firstSucceededNoInputs() throws {
        let winner = firstSucceeded([Future<String>]())
        #expect(winner.isDone)
        #expect((winner.error as? FutureError)?.code == .noInputs)
        #expect(winner.traceback?.frames.map(\.operation) == ["firstSucceeded"])
    }

    @Test("under every seeded schedule firstSucceeded gives the first success, or else the lowest-index failure")
    func firstSucceededForEverySeed() {
        let count = 6
        var mismatches: [UInt64] = []
        for seed in 0..<CombineDeterminismTests.seeds {
            let executor = TestExecutor(seed: seed)
            let allFail = seed % 2 == 0
            let failing = allFail ? Set(0..<count) : SeededInputs.failing(count: count, seed: seed)
            let inputs = SeededInputs.make(count: count, failing: failing, on: executor)
            let successes = Recorder<Int>()
            for input in inputs { input.onSuccess { successes.append($0) } }
            let line = UInt(#line + 1)
            let winner = firstSucceeded(inputs)
            executor.runUntilIdle()
            let expected =
                successes.values.first.map { Answer.value($0) }
                ?? Answer.expected(
                    failing: failing, count: count, operation: "firstSucceeded", line: line, fileID: #fileID,
                    values: -1)
            if Answer(winner) != expected { mismatches.append(seed) }
        }
        #expect(mismatches.isEmpty, "seeds with a different answer: \(mismatches.prefix(10))")
    }
}
