import Dispatch
import Futures
import FuturesTesting
import Testing

@Suite("fold and reduce")
struct FutureFoldTests {
    @Test("fold combines the inputs in input order, whatever order they complete in")
    func foldInOrder() throws {
        let promises = (0..<3).map { _ in Promise<String>() }
        let folded = Future.succeeded("").fold(promises.map(\.future)) { text, next in Future.succeeded(text + next) }
        promises[2].succeed("c")
        promises[0].succeed("a")
        #expect(folded.isPending)
        promises[1].succeed("b")
        #expect(try folded.get() == "abc")
    }

    @Test("fold runs the combining function on the given executor")
    func foldOnExecutor() throws {
        let executor = TestExecutor()
        let folded = Future.succeeded(1).fold([Future.succeeded(2)], on: executor) { Future.succeeded($0 + $1) }
        #expect(folded.isPending)
        executor.runUntilIdle()
        #expect(try folded.get() == 3)
    }

    @Test("fold with no input gives this future's value")
    func foldEmpty() throws {
        let folded = Future.succeeded(7).fold([Future<Int>]()) { _, _ in Future.succeeded(0) }
        #expect(try folded.get() == 7)
    }

    @Test("fold fails with the lowest-index failure as soon as every input before it has succeeded")
    func foldLowestIndexFailure() throws {
        let promises = (0..<3).map { _ in Promise<Int>() }
        let folded = Future.succeeded(0).fold(promises.map(\.future)) { Future.succeeded($0 + $1) }
        promises[2].fail(TestError(2))
        promises[1].fail(TestError(1))
        #expect(folded.isPending, "input 0 could still fail")
        promises[0].succeed(0)
        #expect(folded.error as? TestError == TestError(1))
        let frame = try #require(folded.traceback?.frames.last)
        #expect(frame.operation == "fold")
        #expect(frame.inputIndex == 1)
        #expect(frame.inputCount == 3)
    }

    @Test("a throwing or failing combine step fails the fold with a fold frame naming the input")
    func foldStepFailures() throws {
        let thrown = Future.succeeded(0).fold([Future.succeeded(1), .succeeded(2)]) { _, next -> Future<Int> in
            if next == 2 { throw TestError(9) }
            return Future.succeeded(next)
        }
        #expect(thrown.error as? TestError == TestError(9))
        #expect(thrown.traceback?.frames.map(\.operation) == ["fold"])
        #expect(thrown.traceback?.frames.first?.inputIndex == 1)
        let returned = Future.succeeded(0).fold([Future.succeeded(1)]) { _, _ in Future<Int>.failed(TestError(3)) }
        #expect(returned.traceback?.frames.map(\.operation) == ["Future.failed", "fold"])
        let failedStart = Future<Int>.failed(TestError(4)).fold([Future.succeeded(1)]) { Future.succeeded($0 + $1) }
        #expect(failedStart.traceback?.frames.map(\.operation) == ["Future.failed", "fold"])
        #expect(failedStart.traceback?.frames.last?.inputIndex == nil)
    }

    @Test("reduce combines values in input order and reduce(into:) updates one accumulator in place")
    func reduceForms() throws {
        let promises = (0..<4).map { _ in Promise<Int>() }
        let sum = Future.reduce(0, promises.map(\.future)) { $0 * 10 + $1 }
        let list = Future.reduce(into: [Int](), promises.map(\.future)) { $0.append($1) }
        for (index, promise) in promises.enumerated().reversed() { promise.succeed(index + 1) }
        #expect(try sum.get() == 1234)
        #expect(try list.get() == [1, 2, 3, 4])
        #expect(try Future.reduce(5, [Future<Int>]()) { $0 + $1 }.get() == 5)
    }

    @Test("reduce fails with the lowest-index failure and a reduce frame, and a throwing step stops it")
    func reduceFailures() throws {
        let failing = Future.reduce(0, [Future.succeeded(1), .failed(TestError(1)), .failed(TestError(2))]) { $0 + $1 }
        #expect(failing.error as? TestError == TestError(1))
        #expect(failing.traceback?.frames.last?.operation == "Future.reduce")
        #expect(failing.traceback?.frames.last?.inputIndex == 1)
        let steps = Counter()
        let thrown = Future.reduce(into: 0, [Future.succeeded(1), .succeeded(2), .succeeded(3)]) { total, value in
            steps.increment()
            if value == 2 { throw TestError(7) }
            total += value
        }
        #expect(thrown.error as? TestError == TestError(7))
        #expect(steps.value == 2)
    }

    @Test("cancelling the result stops the fold before its next step")
    func cancelStops() {
        let promise = Promise<Int>()
        let steps = Counter()
        let reduced = Future.reduce(0, [promise.future]) { total, value in
            steps.increment()
            return total + value
        }
        #expect(reduced.cancel())
        promise.succeed(1)
        #expect(steps.value == 0)
        #expect(reduced.isCancelled)
    }

    @Test("a reduce over 100,000 completed inputs runs with a bounded stack")
    func longReduce() throws {
        let inputs = (0..<100_000).map { Future.succeeded($0) }
        #expect(try Future.reduce(0, inputs) { $0 + $1 }.get() == 4_999_950_000)
    }

    @Test("reduce(into:) and fold give the input-order answer when inputs complete on many threads")
    func concurrentCompletion() throws {
        let count = 2_000
        let promises = (0..<count).map { _ in Promise<Int>() }
        let list = Future.reduce(into: [Int](), promises.map(\.future)) { $0.append($1) }
        let folded = Future.succeeded(0).fold(promises.map(\.future), on: DispatchQueue.global()) {
            Future.succeeded($0 &* 31 &+ $1)
        }
        DispatchQueue.concurrentPerform(iterations: count) { promises[$0].succeed($0) }
        #expect(try list.get(timeout: .seconds(30)) == Array(0..<count))
        #expect(try folded.get(timeout: .seconds(30)) == (0..<count).reduce(0) { $0 &* 31 &+ $1 })
    }
}
