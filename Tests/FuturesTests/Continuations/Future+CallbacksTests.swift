import Futures
import FuturesTesting
import Testing

@Suite("Callbacks")
struct FutureCallbacksTests {
    @Test("callbacks run exactly once, in registration order")
    func registrationOrder() {
        let promise = Promise<Int>()
        let order = Recorder<Int>()
        for index in 0..<10 {
            promise.future.onComplete { _ in order.append(index) }
        }
        promise.succeed(1)
        promise.succeed(2)
        #expect(order.values == Array(0..<10))
    }

    @Test("a callback registered after completion runs at once")
    func afterCompletion() {
        let seen = Recorder<Int>()
        Future.succeeded(3).onSuccess { seen.append($0) }
        #expect(seen.values == [3])
    }

    @Test("a callback registered from inside a callback runs after the callbacks registered before it")
    func registeredDuringDelivery() {
        let promise = Promise<Int>()
        let order = Recorder<String>()
        promise.future.onComplete { _ in
            order.append("first")
            promise.future.onComplete { _ in order.append("registered by first") }
        }
        promise.future.onComplete { _ in order.append("second") }
        promise.succeed(1)
        #expect(order.values == ["first", "second", "registered by first"])
    }

    @Test("onSuccess and onFailure run only for their outcome")
    func successAndFailureCallbacks() {
        let seen = Recorder<String>()
        let success = Future.succeeded(1)
        let failure = Future<Int>.failed(TestError(2))
        for future in [success, failure] {
            future.onSuccess { seen.append("success \($0)") }
            future.onFailure { seen.append("failure \(($0 as? TestError)?.id ?? -1)") }
        }
        #expect(seen.values == ["success 1", "failure 2"])
    }

    @Test("a callback on an executor runs when the executor runs it")
    func callbackOnExecutor() {
        let executor = TestExecutor()
        let seen = Recorder<Int>()
        Future.succeeded(5).onSuccess(on: executor) { seen.append($0) }
        #expect(seen.values.isEmpty)
        executor.runUntilIdle()
        #expect(seen.values == [5])
    }

    @Test("removing a callback before completion means it never runs")
    func removeBeforeCompletion() {
        let promise = Promise<Int>()
        let seen = Recorder<Int>()
        let removed = promise.future.onSuccess { seen.append($0) }
        let kept = promise.future.onSuccess { seen.append($0 * 10) }
        #expect(promise.future.removeCallback(removed))
        #expect(!promise.future.removeCallback(removed))
        promise.succeed(1)
        #expect(seen.values == [10])
        #expect(!promise.future.removeCallback(kept))
    }

    @Test("removing a callback that already ran, or a token of another future, returns false")
    func removeTooLateOrForeign() {
        let seen = Recorder<Int>()
        let done = Future.succeeded(1)
        let token = done.onSuccess { seen.append($0) }
        #expect(!done.removeCallback(token))
        let other = Promise<Int>()
        #expect(!other.future.removeCallback(token))
        other.succeed(0)
        #expect(seen.values == [1])
    }

    @Test("removing a callback handed to its executor returns false and it still runs")
    func removeAfterHandOff() {
        let executor = TestExecutor()
        let promise = Promise<Int>()
        let seen = Recorder<Int>()
        let token = promise.future.onSuccess(on: executor) { seen.append($0) }
        promise.succeed(2)
        #expect(!promise.future.removeCallback(token))
        executor.runUntilIdle()
        #expect(seen.values == [2])
    }

    @Test("the middle one of several callbacks can be removed")
    func removeMiddle() {
        let promise = Promise<Int>()
        let seen = Recorder<Int>()
        let tokens = (0..<5).map { index in promise.future.onComplete { _ in seen.append(index) } }
        #expect(promise.future.removeCallback(tokens[2]))
        #expect(promise.future.removeCallback(tokens[0]))
        promise.succeed(0)
        #expect(seen.values == [1, 3, 4])
    }

    @Test("the inline executor queues a job submitted from a running job until that job returns")
    func inlineTrampoline() {
        let order = Recorder<String>()
        InlineExecutor().execute {
            order.append("outer start")
            InlineExecutor().execute { order.append("inner") }
            order.append("outer end")
        }
        order.append("after")
        #expect(order.values == ["outer start", "outer end", "inner", "after"])
    }
}
