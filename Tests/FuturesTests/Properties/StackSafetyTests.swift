import Futures
import FuturesTesting
import Testing

/// Chains of every shape, 100,000 links long, complete without overflowing the stack.
///
/// With `FUTURES_FULL=1` (outside a sanitizer) the chains are a million links long: CI runs this
/// suite that way in a release build.
@Suite("StackSafety")
struct StackSafetyTests {
    @Test("a chain of maps registered before completion completes")
    func mapChain() throws {
        let promise = Promise<Int>()
        var future = promise.future
        for _ in 0..<longChain {
            future = future.map { $0 &+ 1 }
        }
        promise.succeed(0)
        #expect(try future.get() == longChain)
    }

    @Test("a chain of maps registered after completion completes")
    func mapChainOnCompletedFuture() throws {
        var future = Future.succeeded(0)
        for _ in 0..<longChain {
            future = future.map { $0 &+ 1 }
        }
        #expect(try future.get() == longChain)
    }

    @Test("a chain of flatMaps returning still-pending futures completes")
    func flatMapChainOfPendingFutures() throws {
        let promise = Promise<Int>()
        let inner = Promise<Int>()
        var future = promise.future
        for _ in 0..<longChain {
            future = future.flatMap { value in inner.future.map { value &+ $0 } }
        }
        promise.succeed(0)
        #expect(future.isPending)
        inner.succeed(1)
        #expect(try future.get() == longChain)
    }

    @Test("nested flatMaps whose futures complete one after another complete")
    func deeplyNestedFlatMaps() throws {
        // Each link's future is completed by the previous link's callback: the promise chain
        // p[0] -> p[1] -> ... completes through the trampoline, not by recursion.
        let promises = (0..<longChain).map { _ in Promise<Int>() }
        for index in 0..<(longChain - 1) {
            let next = promises[index + 1]
            promises[index].future.onSuccess { next.succeed($0 &+ 1) }
        }
        promises[0].succeed(0)
        #expect(try promises[longChain - 1].future.get() == longChain - 1)
    }

    @Test("a chain of continueWith returning futures completes")
    func continueWithChain() throws {
        let promise = Promise<Int>()
        var future = promise.future
        for _ in 0..<longChain {
            future = future.continueWith { done in
                Future.succeeded(try done.get() &+ 1)
            }
        }
        promise.succeed(0)
        #expect(try future.get() == longChain)
    }

    @Test("a cascade of promises each adopting the next completes")
    func completeWithCascade() throws {
        let root = Promise<Int>()
        var promises: [Promise<Int>] = []
        promises.reserveCapacity(longChain)
        var previous = root.future
        for _ in 0..<longChain {
            let promise = Promise<Int>()
            promise.complete(with: previous)
            previous = promise.future
            promises.append(promise)
        }
        root.succeed(42)
        #expect(try previous.get() == 42)
    }

    @Test("a cascade built the other way, each promise adopting a later one, completes")
    func reverseCompleteWithCascade() throws {
        let promises = (0..<longChain).map { _ in Promise<Int>() }
        for index in 0..<(longChain - 1) {
            promises[index].complete(with: promises[index + 1].future)
        }
        promises[longChain - 1].succeed(7)
        #expect(try promises[0].future.get() == 7)
    }

    @Test("a failure crossing a long chain keeps one frame per stage and is released without recursion")
    func longFailingChain() throws {
        let promise = Promise<Int>()
        var future = promise.future
        for _ in 0..<longChain {
            future = future.map { $0 &+ 1 }
        }
        promise.fail(TestError(1))
        #expect(throws: TestError(1)) { try future.get() }
        let traceback = try #require(future.traceback)
        let frames = traceback.frames
        #expect(frames.count == longChain + 1)
        #expect(frames.first?.role == .raised)
        #expect(frames.last?.operation == "map")
    }

    @Test("a long chain of recover and mapError stages completes")
    func failureHandlingChain() throws {
        let promise = Promise<Int>()
        var future = promise.future
        for index in 0..<longChain {
            if index % 2 == 0 {
                future = future.mapError { _ in TestError(index) }
            } else {
                future = future.flatRecover { _ in .failed(TestError(index)) }
            }
        }
        promise.fail(TestError(-1))
        #expect(throws: TestError(longChain - 1)) { try future.get() }
    }

    @Test("a chain of maps hopping through the test executor completes")
    func chainOnTestExecutor() throws {
        let executor = TestExecutor()
        let promise = Promise<Int>()
        var future = promise.future
        let length = longChain / 10
        for _ in 0..<length {
            future = future.map(on: executor) { $0 &+ 1 }
        }
        promise.succeed(0)
        #expect(executor.runUntilIdle() == length)
        #expect(try future.get() == length)
    }
}
