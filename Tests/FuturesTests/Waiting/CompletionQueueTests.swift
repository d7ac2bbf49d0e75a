import Foundation
import Futures
import FuturesTesting
import Testing

@Suite("CompletionQueue")
struct CompletionQueueTests {
    @Test("get on a queue that was never given a future returns nil at once")
    func emptyQueue() {
        let queue = CompletionQueue<Int>()
        #expect(queue.get() == nil)
        #expect(queue.get(timeout: .zero) == nil)
        #expect(queue.getAll().isEmpty)
    }

    @Test("futures already done when put come out in the order they were put")
    func doneFuturesInPutOrder() throws {
        let queue = CompletionQueue<Int>()
        queue.put(Future.succeeded(1))
        queue.put(contentsOf: [Future.failed(TestError(2)), Future.succeeded(3)])
        #expect(try queue.get()?.get() == 1)
        #expect(queue.get()?.error as? TestError == TestError(2))
        #expect(try queue.get()?.get() == 3)
        #expect(queue.get() == nil, "every future was taken")
    }

    @Test("pending futures come out in the order they complete")
    func completionOrder() throws {
        let promises = (0..<3).map { _ in Promise<Int>() }
        let queue = CompletionQueue<Int>()
        queue.put(contentsOf: promises.map(\.future))
        for index in [2, 0, 1] { promises[index].succeed(index) }
        #expect(try queue.getAll().map { try $0.get() } == [2, 0, 1])
        #expect(queue.get() == nil)
    }

    @Test("get with a zero or negative timeout polls", arguments: [0, -5])
    func polling(milliseconds: Int) throws {
        let promise = Promise<Int>()
        let queue = CompletionQueue<Int>()
        queue.put(promise.future)
        #expect(queue.get(timeout: .milliseconds(milliseconds)) == nil)
        promise.succeed(4)
        #expect(try queue.get(timeout: .milliseconds(milliseconds))?.get() == 4)
        #expect(queue.get(timeout: .milliseconds(milliseconds)) == nil)
    }

    @Test("blocking takes run the test executor's jobs and follow the completion order")
    func takesRunExecutorJobs() throws {
        let executor = TestExecutor(seed: 11)
        let inputs = SeededInputs.make(count: 6, failing: [3], on: executor)
        let order = Recorder<Int>()
        for (index, input) in inputs.enumerated() { input.onComplete { _ in order.append(index) } }
        let queue = CompletionQueue<Int>()
        queue.put(contentsOf: inputs)
        let taken = try executor.insideAJob {
            let first = try #require(queue.get())
            return [first] + queue.getAll()
        }
        #expect(taken.count == 6)
        #expect(taken.map { future in inputs.firstIndex { $0 === future }! } == order.values)
    }

    @Test("getAll with a zero or negative timeout takes only the futures that are ready", arguments: [0, -5])
    func getAllReadyOnly(milliseconds: Int) throws {
        let timeout = Duration.milliseconds(milliseconds)
        let promise = Promise<Int>()
        let queue = CompletionQueue<Int>()
        queue.put(contentsOf: [Future.succeeded(0), promise.future, Future.succeeded(2)])
        #expect(try queue.getAll(timeout: timeout).map { try $0.get() } == [0, 2])
        promise.succeed(1)
        #expect(try queue.getAll(timeout: timeout).map { try $0.get() } == [1])
    }

    @Test("the same future put twice comes out twice")
    func sameFutureTwice() {
        let promise = Promise<Int>()
        let queue = CompletionQueue<Int>()
        queue.put(promise.future)
        queue.put(promise.future)
        promise.succeed(1)
        let taken = queue.getAll(timeout: .zero)
        #expect(taken.count == 2 && taken.allSatisfy { $0 === promise.future })
    }

    @Test("get returns nil when its timeout passes")
    func getTimesOut() {
        let promise = Promise<Int>()
        let queue = CompletionQueue<Int>()
        queue.put(promise.future)
        let taken = queue.get(timeout: .milliseconds(20)) == nil
        #expect(taken)
        promise.succeed(1)
        #expect(queue.get() === promise.future)
    }

    @Test("get inside a test executor's job returns nil when nothing can run")
    func getWouldDeadlock() {
        let executor = TestExecutor()
        let promise = Promise<Int>()
        let queue = CompletionQueue<Int>()
        queue.put(promise.future)
        #expect(executor.insideAJob { queue.get() == nil })
        #expect(executor.pendingCount == 0)
        promise.succeed(0)
    }

    @Test("consumers take every future once while other threads complete them")
    func concurrentProducersAndConsumers() {
        let count = 2_000
        let promises = (0..<count).map { _ in Promise<Int>() }
        let queue = CompletionQueue<Int>()
        queue.put(contentsOf: promises.map(\.future))
        let taken = Counter()
        let consumers = DispatchGroup()
        for _ in 0..<2 {
            // Threads of their own: a blocking take on a thread where a test executor is
            // registered would ask that executor to run its jobs instead of waiting.
            consumers.enter()
            Thread {
                while queue.get(timeout: .seconds(30)) != nil { taken.increment() }
                consumers.leave()
            }.start()
        }
        DispatchQueue.concurrentPerform(iterations: count) { promises[$0].succeed($0) }
        #expect(consumers.wait(timeout: .now() + 60) == .success)
        #expect(taken.value == count)
    }
}
