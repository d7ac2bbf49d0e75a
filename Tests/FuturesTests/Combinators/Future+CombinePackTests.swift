import Futures
import FuturesTesting
import Testing

@Suite("combineFutures over a parameter pack")
struct FutureCombinePackTests {
    @Test("futures of different types combine into a tuple in argument order")
    func tupleInArgumentOrder() throws {
        let number = Promise<Int>()
        let name = Promise<String>()
        let flag = Promise<Bool>()
        let combined = combineFutures(number.future, name.future, flag.future)
        flag.succeed(true)
        name.succeed("seven")
        #expect(combined.isPending)
        number.succeed(7)
        let (value, text, bool) = try combined.get()
        #expect(value == 7)
        #expect(text == "seven")
        #expect(bool)
    }

    @Test("no argument gives a future that has already succeeded with the empty tuple")
    func noArgument() {
        let combined: Future<Void> = combineFutures()
        #expect(combined.isSucceeded)
    }

    @Test("one argument gives its value")
    func oneArgument() throws {
        let combined = combineFutures(Future.succeeded("only"))
        #expect(try combined.get() == "only")
    }

    @Test("already-completed arguments give a result that is already done")
    func alreadyDone() throws {
        let combined = combineFutures(Future.succeeded(1), Future.succeeded(2.5), Future.succeeded("three"))
        #expect(combined.isDone)
        let (one, two, three) = try combined.get()
        #expect(one == 1 && two == 2.5 && three == "three")
    }

    @Test("the same future passed twice gives its value twice")
    func sameFutureTwice() throws {
        let promise = Promise<Int>()
        let combined = combineFutures(promise.future, Future.succeeded("x"), promise.future)
        promise.succeed(4)
        let (first, middle, last) = try combined.get()
        #expect(first == 4 && middle == "x" && last == 4)
    }

    @Test("the first failed argument wins even when it fails last, with a combineFutures frame")
    func firstArgumentFailureWins() throws {
        let number = Promise<Int>()
        let name = Promise<String>()
        let line = UInt(#line + 1)
        let combined = combineFutures(Future.succeeded(0.5), number.future, name.future)
        name.fail(TestError(2))
        #expect(combined.isPending)
        number.fail(TestError(1))
        #expect(throws: TestError(1)) { try combined.get() }
        let frames = try #require(combined.traceback?.frames)
        #expect(frames.map(\.operation) == ["Promise", "combineFutures"])
        #expect(frames.map(\.role) == [.raised, .passedThrough])
        #expect(frames[1].inputIndex == 1)
        #expect(frames[1].inputCount == 3)
        #expect(frames[1].line == line)
    }

    @Test("with failFast the result fails once every earlier argument has succeeded")
    func failFast() throws {
        let number = Promise<Int>()
        let name = Promise<String>()
        let later = Promise<Bool>()
        let combined = combineFutures(number.future, name.future, later.future, failFast: true)
        name.fail(TestError(1))
        #expect(combined.isPending)
        number.succeed(0)
        #expect(throws: TestError(1)) { try combined.get() }
        #expect(later.future.isPending)
        later.succeed(true)
    }

    @Test("under every seeded schedule the tuple or the first failed argument is the answer, failFast or not")
    func sameAnswerForEverySeed() {
        var mismatches: [UInt64] = []
        for seed in 0..<CombineDeterminismTests.seeds {
            let failing = SeededInputs.failing(count: 4, seed: seed)
            let executor = TestExecutor(seed: seed)
            let number = SeededInputs.make(0, index: 0, failing: failing, on: executor)
            let name = SeededInputs.make("one", index: 1, failing: failing, on: executor)
            let ratio = SeededInputs.make(2.0, index: 2, failing: failing, on: executor)
            let flag = SeededInputs.make(true, index: 3, failing: failing, on: executor)
            let line = UInt(#line + 1)
            let waiting = combineFutures(number, name, ratio, flag)
            let failFast = combineFutures(number, name, ratio, flag, failFast: true)
            executor.runUntilIdle()
            let expected = Answer.expected(
                failing: failing, count: 4, operation: "combineFutures", line: line, fileID: #fileID,
                values: "0 one 2.0 true")
            let describe: @Sendable ((Int, String, Double, Bool)) -> String = { "\($0.0) \($0.1) \($0.2) \($0.3)" }
            let failFastExpected = Answer.expected(
                failing: failing, count: 4, operation: "combineFutures", line: line + 1, fileID: #fileID,
                values: "0 one 2.0 true")
            if Answer(waiting, describe) != expected || Answer(failFast, describe) != failFastExpected {
                mismatches.append(seed)
            }
        }
        #expect(mismatches.isEmpty, "seeds with a different answer: \(mismatches.prefix(10))")
    }
}
