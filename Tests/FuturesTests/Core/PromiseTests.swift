import Foundation
import Futures
import Testing

@Suite("Promise")
struct PromiseTests {
    @Test("a new promise's future is pending, with no result")
    func newPromiseIsPending() {
        let promise = Promise<Int>()
        #expect(promise.future.isPending)
        #expect(!promise.future.isDone)
        #expect(promise.future.result == nil)
        #expect(promise.future.error == nil)
        #expect(promise.future.traceback == nil)
        promise.succeed(0)
    }

    @Test("the first completion wins and later ones return false and change nothing")
    func firstCompletionWins() throws {
        let promise = Promise<Int>()
        #expect(promise.succeed(1))
        #expect(!promise.succeed(2))
        #expect(!promise.fail(TestError()))
        #expect(!promise.complete(.success(3)))
        #expect(try promise.future.get() == 1)
        #expect(promise.future.isSucceeded)
    }

    @Test("failing keeps the original error")
    func failKeepsError() {
        let promise = Promise<Int>()
        #expect(promise.fail(TestError(7)))
        #expect(!promise.succeed(1))
        #expect(throws: TestError(7)) { try promise.future.get() }
        #expect(promise.future.isFailed)
        #expect(!promise.future.isCancelled)
    }

    @Test("complete(_:) takes a Result", arguments: [true, false])
    func completeWithResult(succeeds: Bool) {
        let promise = Promise<Int>()
        let result: Result<Int, any Error> = succeeds ? .success(5) : .failure(TestError(5))
        #expect(promise.complete(result))
        #expect(promise.future.isSucceeded == succeeds)
        #expect(promise.future.isFailed == !succeeds)
    }

    @Test("a promise can be completed from a Sendable closure on another thread")
    func completeFromAnotherThread() throws {
        let promise = Promise<String>()
        let thread = Thread { promise.succeed("from a thread") }
        thread.start()
        #expect(try promise.future.get(timeout: .seconds(10)) == "from a thread")
    }

    @Test("complete(with:) adopts the outcome of another future")
    func completeWithAdopts() throws {
        let source = Promise<Int>()
        let promise = Promise<Int>()
        promise.complete(with: source.future)
        #expect(promise.future.isPending)
        source.succeed(9)
        #expect(try promise.future.get() == 9)
    }

    @Test("complete(with:) a failed future keeps its traceback and adds the promise's frame")
    func completeWithFailureKeepsTraceback() throws {
        let source = Promise<Int>()
        let sourceLine = #line - 1
        let promise = Promise<Int>()
        let promiseLine = #line - 1
        promise.complete(with: source.future)
        source.fail(TestError(1))
        let frames = try #require(promise.future.traceback?.frames)
        #expect(frames.map(\.operation) == ["Promise", "Promise"])
        #expect(frames.map(\.line) == [UInt(sourceLine), UInt(promiseLine)])
        #expect(frames.map(\.role) == [.raised, .passedThrough])
        #expect(promise.future.error as? TestError == TestError(1))
    }

    @Test("complete(with:) after completion changes nothing")
    func completeWithAfterCompletion() throws {
        let promise = Promise<Int>()
        promise.succeed(1)
        promise.complete(with: .succeeded(2))
        #expect(try promise.future.get() == 1)
    }

    @Test("a promise released without completion fails its future with .abandoned at its creation site")
    func abandonedPromise() throws {
        var promise: Promise<Int>? = Promise<Int>()
        let line = UInt(#line - 1)
        let future = promise!.future
        let observed = Recorder<FutureError.Code>()
        future.onFailure { error in
            if let error = error as? FutureError { observed.append(error.code) }
        }
        #expect(future.isPending)
        promise = nil
        #expect(future.isFailed)
        let error = try #require(future.error as? FutureError)
        #expect(error.code == .abandoned)
        #expect(observed.values == [.abandoned])
        let frame = try #require(future.traceback?.frames.first)
        #expect(frame.operation == "Promise")
        #expect(frame.fileID == #fileID)
        #expect(frame.line == line)
        #expect(frame.role == .raised)
    }

    @Test("a thread blocked on the future wakes with .abandoned when the promise is dropped")
    func abandonedWakesWaiter() {
        var promise: Promise<Int>? = Promise<Int>()
        let future = promise!.future
        let codes = Recorder<FutureError.Code>()
        let finished = Promise<Void>()
        let thread = Thread {
            do {
                _ = try future.get(timeout: .seconds(30))
            } catch let error as FutureError {
                codes.append(error.code)
            } catch {}
            finished.succeed(())
        }
        thread.start()
        promise = nil
        #expect(finished.future.wait(timeout: .seconds(30)))
        #expect(codes.values == [.abandoned])
    }

    @Test("a promise that adopted a future is not abandoned when released")
    func adoptingPromiseIsNotAbandoned() throws {
        let source = Promise<Int>()
        var promise: Promise<Int>? = Promise<Int>()
        let future = promise!.future
        promise!.complete(with: source.future)
        promise = nil
        #expect(future.isPending)
        source.succeed(3)
        #expect(try future.get() == 3)
    }

    @Test("completing a promise after its future was cancelled returns false")
    func completeAfterCancel() {
        let promise = Promise<Int>()
        #expect(promise.future.cancel())
        #expect(!promise.succeed(1))
        #expect(promise.future.isCancelled)
        #expect(promise.future.error is CancellationError)
    }
}
