import Futures
import FuturesTesting
import Testing

@Suite("combineFutures and combineResults")
struct FutureCombineTests {
    // MARK: - Values

    @Test("combining succeeds with every value in input order, whatever the completion order")
    func valuesInInputOrder() throws {
        let promises = (0..<5).map { _ in Promise<Int>() }
        let combined = combineFutures(promises.map(\.future))
        for index in [3, 1, 4, 0] {
            promises[index].succeed(index * 10)
            #expect(combined.isPending)
        }
        promises[2].succeed(20)
        #expect(try combined.get() == [0, 10, 20, 30, 40])
    }

    @Test("no input gives a future that has already succeeded with an empty array")
    func emptyInput() throws {
        let combined = combineFutures([Future<Int>]())
        #expect(combined.isDone)
        #expect(try combined.get() == [])
        let failFast = combineFutures([Future<String>](), failFast: true)
        #expect(try failFast.get() == [])
    }

    @Test("inputs that are already done give a result that is already done")
    func alreadyDoneInputs() throws {
        let combined = combineFutures((0..<100).map { Future.succeeded($0) })
        #expect(combined.isDone)
        #expect(try combined.get() == Array(0..<100))
    }

    @Test("the same future passed twice gives its value twice")
    func sameFutureTwice() throws {
        let promise = Promise<String>()
        let other = Promise<String>()
        let combined = combineFutures([promise.future, other.future, promise.future])
        promise.succeed("a")
        #expect(combined.isPending)
        other.succeed("b")
        #expect(try combined.get() == ["a", "b", "a"])
    }

    @Test("any sequence of futures can be combined, not only arrays")
    func lazySequence() throws {
        let combined = combineFutures((1...4).lazy.map { Future.succeeded($0 * $0) })
        #expect(try combined.get() == [1, 4, 9, 16])
    }

    // MARK: - Failures

    @Test("the lowest-index failure wins even when it happens last")
    func lowestIndexFailureWins() throws {
        let promises = (0..<3).map { _ in Promise<Int>() }
        let line = UInt(#line + 1)
        let combined = combineFutures(promises.map(\.future))
        promises[2].fail(TestError(2))
        promises[1].succeed(1)
        #expect(combined.isPending)
        promises[0].fail(TestError(0))
        #expect(throws: TestError(0)) { try combined.get() }
        let frames = try #require(combined.traceback?.frames)
        #expect(frames.map(\.operation) == ["Promise", "combineFutures"])
        #expect(frames.map(\.role) == [.raised, .passedThrough])
        #expect(frames[1].inputIndex == 0)
        #expect(frames[1].inputCount == 3)
        #expect(frames[1].line == line)
        #expect(frames[1].fileID == #fileID)
    }

    @Test("the failure keeps the input's traceback and adds one combineFutures frame")
    func failureKeepsInputTraceback() throws {
        let promise = Promise<Int>()
        let mapped = promise.future.map { $0 + 1 }
        let combined = combineFutures([Future.succeeded(0), mapped])
        promise.fail(TestError(7))
        let frames = try #require(combined.traceback?.frames)
        #expect(frames.map(\.operation) == ["Promise", "map", "combineFutures"])
        #expect(frames.map(\.role) == [.raised, .passedThrough, .passedThrough])
        #expect(frames.map(\.inputIndex) == [nil, nil, 1])
        #expect(frames.map(\.inputCount) == [nil, nil, 2])
        #expect(combined.error as? TestError == TestError(7))
    }

    @Test("without failFast the result waits for every input after a failure")
    func waitsForEveryInput() throws {
        let pending = Promise<Int>()
        let combined = combineFutures([Future.failed(TestError(0)), Future.succeeded(1), pending.future])
        #expect(combined.isPending)
        pending.fail(TestError(2))
        #expect(throws: TestError(0)) { try combined.get() }
        #expect(combined.traceback?.frames.last?.inputIndex == 0)
    }

    @Test("with failFast the result fails once the failure is known and every earlier input succeeded")
    func failFastDecidesEarly() throws {
        let promises = (0..<4).map { _ in Promise<Int>() }
        let combined = combineFutures(promises.map(\.future), failFast: true)
        promises[2].fail(TestError(2))
        #expect(combined.isPending, "input 0 or 1 could still fail")
        promises[0].succeed(0)
        #expect(combined.isPending, "input 1 could still fail")
        promises[1].succeed(1)
        #expect(throws: TestError(2)) { try combined.get() }
        #expect(combined.traceback?.frames.last?.inputIndex == 2)
        #expect(promises[3].future.isPending)
        promises[3].succeed(3)
    }

    @Test("with failFast a lower-index failure that arrives later replaces a known one")
    func failFastLowerFailureReplaces() throws {
        let promises = (0..<3).map { _ in Promise<Int>() }
        let combined = combineFutures(promises.map(\.future), failFast: true)
        promises[2].fail(TestError(2))
        promises[1].fail(TestError(1))
        #expect(combined.isPending)
        promises[0].succeed(0)
        #expect(throws: TestError(1)) { try combined.get() }
    }

    @Test("with failFast an already-failed input after done successes fails at once")
    func failFastAlreadyFailed() throws {
        let pending = Promise<Int>()
        let combined = combineFutures(
            [Future.succeeded(0), Future.failed(TestError(1)), pending.future], failFast: true)
        #expect(combined.isDone)
        #expect(throws: TestError(1)) { try combined.get() }
        pending.succeed(2)
    }

    @Test("inputs done, pending and failed in any mix give the lowest-index failure")
    func mixedInputs() throws {
        let pending = Promise<Int>()
        let combined = combineFutures([
            Future.succeeded(0), pending.future, Future.failed(TestError(2)), Future.failed(TestError(3)),
        ])
        #expect(combined.isPending)
        pending.fail(TestError(1))
        #expect(throws: TestError(1)) { try combined.get() }
    }

    @Test("the same failing future passed twice is reported at its first index")
    func sameFailingFutureTwice() throws {
        let promise = Promise<Int>()
        let combined = combineFutures([Future.succeeded(0), promise.future, promise.future])
        promise.fail(TestError(1))
        #expect(combined.traceback?.frames.last?.inputIndex == 1)
        #expect(combined.traceback?.frames.last?.inputCount == 3)
    }

    @Test("cancelling the result cancels none of the inputs")
    func cancellingResult() throws {
        let promise = Promise<Int>()
        let combined = combineFutures([promise.future])
        #expect(combined.cancel())
        #expect(combined.isCancelled)
        #expect(promise.future.isPending)
        promise.succeed(1)
        #expect(combined.isCancelled)
    }

    @Test("a fail-fast combine releases the values it holds once it fails, while inputs are still pending")
    func failFastReleasesValues() {
        final class Payload: Sendable {}
        let second = Promise<Payload>()
        let never = Promise<Payload>()
        weak var stored: Payload?
        let combined: Future<[Payload]>
        do {
            let first = Promise<Payload>()
            combined = combineFutures([first.future, second.future, never.future], failFast: true)
            let payload = Payload()
            stored = payload
            first.succeed(payload)
        }
        #expect(stored != nil, "the combine holds the value of input 0 while the answer is open")
        second.fail(TestError(1))
        #expect(combined.isFailed)
        #expect(stored == nil, "deciding released it, although input 2 is still pending")
        never.succeed(Payload())
    }

    // MARK: - combineResults

    @Test("combineResults gives every outcome in input order and never fails")
    func combineResultsOutcomes() throws {
        let promises = (0..<3).map { _ in Promise<Int>() }
        let combined = combineResults(promises.map(\.future))
        promises[2].succeed(2)
        promises[0].fail(TestError(0))
        #expect(combined.isPending)
        promises[1].succeed(1)
        let results = try combined.get()
        #expect(results.count == 3)
        #expect(throws: TestError(0)) { try results[0].get() }
        #expect(try results[1].get() == 1)
        #expect(try results[2].get() == 2)
    }

    @Test("combineResults of no input has already succeeded with an empty array")
    func combineResultsEmpty() throws {
        let combined = combineResults([Future<Int>]())
        #expect(combined.isDone)
        #expect(try combined.get().isEmpty)
    }

    @Test("combineResults of done inputs, one passed twice, is already done with an outcome per appearance")
    func combineResultsDoneAndDuplicated() throws {
        let failed = Future<Int>.failed(TestError(1))
        let combined = combineResults([Future.succeeded(0), failed, failed])
        #expect(combined.isDone)
        let results = try combined.get()
        #expect(results.count == 3)
        #expect(try results[0].get() == 0)
        #expect(throws: TestError(1)) { try results[1].get() }
        #expect(throws: TestError(1)) { try results[2].get() }
    }

    @Test("combineResults reports a cancelled input as a CancellationError")
    func combineResultsCancelled() throws {
        let promise = Promise<Int>()
        promise.future.cancel()
        let results = try combineResults([promise.future, Future.succeeded(1)]).get()
        #expect(throws: CancellationError.self) { try results[0].get() }
        #expect(try results[1].get() == 1)
    }
}

/// The answer of a combine never depends on the order in which its inputs complete; combining is
/// linear and recursion-free at 100,000 inputs (a million with `FUTURES_FULL=1`).
@Suite("combineFutures determinism and scale")
struct CombineDeterminismTests {
    /// How many seeds the determinism proofs run: 1,000, or 10,000 with `FUTURES_FULL=1`.
    static let seeds = determinismSeeds

    @Test("under every seeded schedule the answer is the values or the lowest-index failure, failFast or not")
    func sameAnswerForEverySeed() {
        let count = 8
        var mismatches: [UInt64] = []
        for seed in 0..<Self.seeds {
            let failing = SeededInputs.failing(count: count, seed: seed)
            let executor = TestExecutor(seed: seed)
            let inputs = SeededInputs.make(count: count, failing: failing, on: executor)
            let line = UInt(#line + 1)
            let (waiting, failFast) = (combineFutures(inputs), combineFutures(inputs, failFast: true))
            var decidedOnTime = true
            while executor.runNext() {
                // failFast decides exactly when the answer is determined; the other waits for all.
                decidedOnTime = decidedOnTime && failFast.isDone == Self.isDetermined(inputs)
                decidedOnTime = decidedOnTime && waiting.isDone == inputs.allSatisfy(\.isDone)
            }
            let expected = Answer.expected(
                failing: failing, count: count, operation: "combineFutures", line: line, fileID: #fileID,
                values: Array(0..<count))
            if !decidedOnTime || Answer(waiting) != expected || Answer(failFast) != expected {
                mismatches.append(seed)
            }
        }
        #expect(mismatches.isEmpty, "seeds with a different answer: \(mismatches.prefix(10))")
    }

    /// Whether the lowest-index failure among done inputs is known with every input before it
    /// succeeded, or every input is done.
    static func isDetermined(_ inputs: [Future<Int>]) -> Bool {
        for input in inputs {
            if input.isFailed { return true }
            if !input.isSucceeded { return inputs.allSatisfy(\.isDone) }
        }
        return true
    }

    @Test("a hundred thousand completed futures combine into their values")
    func millionCompletedInputs() throws {
        let inputs = (0..<longChain).map { Future.succeeded($0) }
        let combined = combineFutures(inputs)
        #expect(combined.isDone)
        let values = try combined.get()
        #expect(values.count == longChain)
        #expect(values.elementsEqual(0..<longChain))
    }

    @Test("a hundred thousand pending futures completed afterwards combine into their values")
    func millionPendingInputs() throws {
        let promises = (0..<longChain).map { _ in Promise<Int>() }
        let combined = combineFutures(promises.map(\.future))
        for index in stride(from: longChain - 1, through: 0, by: -1) {
            promises[index].succeed(index)
        }
        let values = try combined.get()
        #expect(values.count == longChain)
        #expect(values.elementsEqual(0..<longChain))
    }

    @Test("many pending futures, two failing late, fail fast with the lower index")
    func manyPendingInputsWithFailures() throws {
        let count = longChain / 10
        let promises = (0..<count).map { _ in Promise<Int>() }
        let combined = combineFutures(promises.map(\.future), failFast: true)
        promises[count - 1].fail(TestError(2))
        for index in 0..<(count - 1) where index != count / 2 {
            promises[index].succeed(index)
        }
        #expect(combined.isPending)
        promises[count / 2].fail(TestError(1))
        #expect(throws: TestError(1)) { try combined.get() }
        #expect(combined.traceback?.frames.last?.inputIndex == count / 2)
        #expect(combined.traceback?.frames.last?.inputCount == count)
    }
}
