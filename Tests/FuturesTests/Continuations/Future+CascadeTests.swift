import Futures
import Testing

@Suite("cascade")
struct FutureCascadeTests {
    @Test("cascade completes the promise with the outcome; a failure gains a cascade frame")
    func cascadeBoth() throws {
        let succeeded = Promise<Int>()
        Future.succeeded(1).cascade(to: succeeded)
        #expect(try succeeded.future.get() == 1)
        let failed = Promise<Int>()
        Future<Int>.failed(TestError(2)).cascade(to: failed)
        #expect(failed.future.error as? TestError == TestError(2))
        #expect(failed.future.traceback?.frames.map(\.operation) == ["Future.failed", "cascade"])
        Future.succeeded(3).cascade(to: nil)
    }

    @Test("cascadeSuccess passes only a success, cascadeFailure only a failure")
    func cascadeOneSide() throws {
        let promise = Promise<Int>()
        Future<Int>.failed(TestError(1)).cascadeSuccess(to: promise)
        Future<String>.succeeded("x").cascadeFailure(to: promise)
        #expect(promise.future.isPending)
        Future.succeeded(4).cascadeSuccess(to: promise)
        #expect(try promise.future.get() == 4)
        let other = Promise<String>()
        Future<Int>.failed(TestError(5)).cascadeFailure(to: other)
        #expect(other.future.error as? TestError == TestError(5))
        #expect(other.future.traceback?.frames.map(\.operation) == ["Future.failed", "cascadeFailure"])
    }

    @Test("cascade waits for a pending future")
    func cascadeLater() throws {
        let source = Promise<Int>()
        let target = Promise<Int>()
        source.future.cascade(to: target)
        #expect(target.future.isPending)
        source.succeed(6)
        #expect(try target.future.get() == 6)
    }
}
