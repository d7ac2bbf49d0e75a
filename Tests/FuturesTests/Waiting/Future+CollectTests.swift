import Dispatch
import Futures
import FuturesTesting
import Testing

@Suite("collectFutures and waitFutures")
struct FutureCollectTests {
    // MARK: - collectFutures

    @Test("collectFutures returns every value in input order, running the executor's jobs while it blocks")
    func collectValues() throws {
        let executor = TestExecutor(seed: 7)
        let inputs = SeededInputs.make(count: 5, failing: [], on: executor)
        #expect(try executor.insideAJob { try collectFutures(inputs) } == [0, 1, 2, 3, 4])
        #expect(try collectFutures(inputs, timeout: .zero) == [0, 1, 2, 3, 4])
    }

    @Test("collectFutures of no input returns an empty array")
    func collectEmpty() throws {
        #expect(try collectFutures([Future<Int>]()).isEmpty)
        #expect(try collectFutures([Future<Int>](), timeout: .zero).isEmpty)
    }

    @Test("collectFutures gives a future passed twice its value twice")
    func collectSameFutureTwice() throws {
        let executor = TestExecutor()
        let input = SeededInputs.make(5, index: 0, failing: [], on: executor)
        #expect(try executor.insideAJob { try collectFutures([input, Future.succeeded(6), input]) } == [5, 6, 5])
    }

    @Test("collectFutures throws the first failure it reaches without waiting for later inputs")
    func collectStopsAtFirstFailure() throws {
        let never = Promise<Int>()
        #expect(throws: TestError(1)) {
            try collectFutures([Future.succeeded(0), Future.failed(TestError(1)), never.future])
        }
        never.succeed(2)
    }

    @Test("collectFutures walks in input order: an earlier input's later failure wins")
    func collectWalksInOrder() throws {
        let executor = TestExecutor()
        let first = SeededInputs.make(0, index: 0, failing: [0], on: executor)
        #expect(first.isPending)
        #expect(throws: TestError(0)) {
            try executor.insideAJob { try collectFutures([first, Future.failed(TestError(1))]) }
        }
    }

    @Test("with a zero or negative timeout collectFutures only takes inputs already done", arguments: [0, -5])
    func collectZeroTimeout(milliseconds: Int) throws {
        let timeout = Duration.milliseconds(milliseconds)
        #expect(try collectFutures([Future.succeeded(1), Future.succeeded(2)], timeout: timeout) == [1, 2])
        let pending = Promise<Int>()
        let error = #expect(throws: FutureError.self) {
            try collectFutures([Future.succeeded(1), pending.future], timeout: timeout)
        }
        #expect(error?.code == .timedOut)
        pending.succeed(2)
    }

    @Test("collectFutures throws timedOut once the shared deadline passes")
    func collectTimesOut() {
        let pending = Promise<Int>()
        let code: FutureError.Code?
        do {
            _ = try collectFutures([Future.succeeded(0), pending.future], timeout: .milliseconds(20))
            code = nil
        } catch {
            code = (error as? FutureError)?.code
        }
        #expect(code == .timedOut)
        pending.succeed(1)
    }

    @Test("collectFutures inside a test executor's job throws wouldDeadlock when nothing can run")
    func collectWouldDeadlock() {
        let executor = TestExecutor()
        let never = Promise<Int>()
        let error = #expect(throws: FutureError.self) { try executor.insideAJob { try collectFutures([never.future]) } }
        #expect(error?.code == .wouldDeadlock)
        #expect(executor.pendingCount == 0)
        never.succeed(0)
    }

    @Test("collectFutures waits for inputs completed on other threads")
    func collectAcrossThreads() throws {
        let queue = DispatchQueue(label: "collect", attributes: .concurrent)
        let inputs = (0..<200).map { value in
            let promise = Promise<Int>()
            queue.async { promise.succeed(value * 2) }
            return promise.future
        }
        let values = try collectFutures(inputs, timeout: .seconds(30))
        #expect(values == (0..<200).map { $0 * 2 })
    }

    // MARK: - waitFutures

    @Test("waitFutures of no input returns two empty arrays at once")
    func waitEmpty() {
        let (done, pending) = waitFutures([Future<Int>]())
        #expect(done.isEmpty && pending.isEmpty)
    }

    @Test("waitFutures until allCompleted returns every input done, in input order")
    func waitAllCompleted() {
        let executor = TestExecutor(seed: 3)
        let inputs = SeededInputs.make(count: 4, failing: [2], on: executor)
        let (done, pending) = executor.insideAJob { waitFutures(inputs) }
        #expect(done.count == 4)
        #expect(zip(done, inputs).allSatisfy { $0 === $1 })
        #expect(pending.isEmpty)
    }

    @Test("waitFutures until firstCompleted returns once one input is done")
    func waitFirstCompleted() {
        let executor = TestExecutor()
        let inputs = SeededInputs.make(count: 3, failing: [], on: executor)
        let (done, pending) = executor.insideAJob { waitFutures(inputs, until: .firstCompleted) }
        #expect(done.count == 1 && done[0] === inputs[0])
        #expect(pending.count == 2 && pending[0] === inputs[1] && pending[1] === inputs[2])
        #expect(executor.runUntilIdle() == 2)
    }

    @Test("waitFutures until firstFailure returns at the first failure")
    func waitFirstFailure() {
        let executor = TestExecutor()
        let inputs = SeededInputs.make(count: 4, failing: [1], on: executor)
        let (done, pending) = executor.insideAJob { waitFutures(inputs, until: .firstFailure) }
        #expect(done.count == 2 && done[0] === inputs[0] && done[1] === inputs[1])
        #expect(pending.count == 2)
        executor.runUntilIdle()
    }

    @Test("waitFutures until firstFailure does not count a cancellation and waits for every input")
    func waitFirstFailureIgnoresCancellation() {
        let executor = TestExecutor()
        let cancelled = Promise<Int>()
        cancelled.future.cancel()
        let inputs = [cancelled.future] + SeededInputs.make(count: 2, failing: [], on: executor)
        let (done, pending) = executor.insideAJob { waitFutures(inputs, until: .firstFailure) }
        #expect(done.count == 3)
        #expect(pending.isEmpty)
    }

    @Test("with a zero or negative timeout waitFutures returns the partition at once", arguments: [0, -5])
    func waitZeroTimeout(milliseconds: Int) {
        let executor = TestExecutor()
        let pending = SeededInputs.make(0, index: 0, failing: [], on: executor)
        let finished = Future.succeeded(1)
        let partition = waitFutures([pending, finished, pending], timeout: .milliseconds(milliseconds))
        #expect(partition.done.count == 1 && partition.done[0] === finished)
        #expect(partition.pending.count == 2 && partition.pending.allSatisfy { $0 === pending })
        #expect(executor.pendingCount == 1, "no job ran")
        executor.runUntilIdle()
    }

    @Test("waitFutures returns the partition at that moment when the timeout passes")
    func waitTimesOut() {
        let never = Promise<Int>()
        let finished = Future.succeeded(0)
        let partition = waitFutures([never.future, finished], timeout: .milliseconds(20))
        let (doneCount, pendingCount) = (partition.done.count, partition.pending.count)
        #expect(doneCount == 1 && pendingCount == 1)
        never.succeed(1)
    }

    @Test("waitFutures inside a test executor's job returns at once when nothing can run")
    func waitWouldDeadlock() {
        let executor = TestExecutor()
        let never = Promise<Int>()
        let (done, pending) = executor.insideAJob { waitFutures([never.future, Future.succeeded(1)]) }
        #expect(done.count == 1 && pending.count == 1)
        #expect(executor.pendingCount == 0)
        never.succeed(0)
    }

    @Test("waitFutures waits on all inputs at once while other threads complete them")
    func waitAcrossThreads() {
        let queue = DispatchQueue(label: "wait", attributes: .concurrent)
        let inputs = (0..<200).map { value in
            let promise = Promise<Int>()
            queue.async { promise.succeed(value) }
            return promise.future
        }
        let pendingCount = waitFutures(inputs, timeout: .seconds(30)).pending.count
        #expect(pendingCount == 0)
        #expect(inputs.allSatisfy { $0.isDone })
    }
}
