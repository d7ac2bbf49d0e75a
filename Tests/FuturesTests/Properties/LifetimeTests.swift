import Futures
import FuturesTesting
import Testing

/// After a pipeline completes, is cancelled or is abandoned, nothing it allocated stays alive:
/// no leaks, no reference cycles.
@Suite("Lifetimes")
struct LifetimeTests {
    final class Payload: Sendable {}

    @Test("a completed chain releases its futures, its closures and their captures")
    func completedChainIsReleased() {
        weak var weakPromise: Promise<Int>?
        weak var weakFirst: Future<Int>?
        weak var weakCapture: Payload?
        var last: Future<Int>?
        do {
            let promise = Promise<Int>()
            let capture = Payload()
            weakPromise = promise
            weakCapture = capture
            let first = promise.future.map { value in
                _ = capture
                return value + 1
            }
            weakFirst = first
            last = first.flatMap { Future.succeeded($0 * 2) }.recover { _ in 0 }
            promise.succeed(1)
        }
        #expect(weakPromise == nil)
        #expect(weakFirst == nil)
        #expect(weakCapture == nil)
        #expect(last?.result.flatMap { try? $0.get() } == 4)
    }

    @Test("a callback's captures are released once it has run or been removed")
    func callbackCapturesReleased() {
        weak var ran: Payload?
        weak var removed: Payload?
        let promise = Promise<Int>()
        do {
            let first = Payload()
            let second = Payload()
            ran = first
            removed = second
            promise.future.onComplete { _ in _ = first }
            let token = promise.future.onComplete { _ in _ = second }
            promise.future.removeCallback(token)
        }
        #expect(removed == nil)
        #expect(ran != nil)
        promise.succeed(1)
        #expect(ran == nil)
    }

    @Test("a cancelled derived future is released, and the upstream releases its stage on completion")
    func cancelledChainIsReleased() {
        let promise = Promise<Int>()
        weak var weakDerived: Future<Int>?
        weak var weakCapture: Payload?
        do {
            let capture = Payload()
            weakCapture = capture
            let derived = promise.future.map { value in
                _ = capture
                return value
            }
            weakDerived = derived
            derived.cancel()
        }
        // The upstream still holds the stage until it completes.
        #expect(weakCapture != nil)
        promise.succeed(1)
        #expect(weakDerived == nil)
        #expect(weakCapture == nil)
    }

    @Test("an abandoned promise's chain is released")
    func abandonedChainIsReleased() {
        weak var weakFuture: Future<Int>?
        weak var weakCapture: Payload?
        var last: Future<Int>?
        do {
            let promise = Promise<Int>()
            let capture = Payload()
            weakCapture = capture
            weakFuture = promise.future
            last = promise.future.map { value in
                _ = capture
                return value
            }
        }
        #expect(weakFuture == nil)
        #expect(weakCapture == nil)
        #expect((last?.error as? FutureError)?.code == .abandoned)
    }

    @Test("a job left on a test executor keeps its chain; running it releases everything")
    func executorJobsRelease() {
        let executor = TestExecutor()
        weak var weakCapture: Payload?
        var result: Future<Int>?
        do {
            let capture = Payload()
            weakCapture = capture
            result = Future.succeeded(1).map(on: executor) { value in
                _ = capture
                return value
            }
        }
        #expect(weakCapture != nil)
        executor.runUntilIdle()
        #expect(weakCapture == nil)
        #expect(result?.isSucceeded == true)
    }

    @Test("a failed chain's traceback does not keep the chain's futures alive")
    func tracebackHoldsNoFutures() {
        weak var weakMiddle: Future<Int>?
        var last: Future<Int>?
        do {
            let promise = Promise<Int>()
            let middle = promise.future.map { $0 }
            weakMiddle = middle
            last = middle.map { $0 }
            promise.fail(TestError())
        }
        #expect(weakMiddle == nil)
        #expect(last?.traceback?.frames.count == 3)
    }
}

@Suite("Released pending futures")
struct ReleasedPendingFutureTests {
    /// A broken executor that discards every job.
    struct DroppingExecutor: FutureExecutor {
        func execute(_ job: @escaping @Sendable () -> Void) {}
    }

    @Test("a stage whose job an executor dropped fails everything downstream with .abandoned")
    func droppedJobAbandonsChain() throws {
        // The executor drops the first map's job at once; its source is still pending when the
        // chain is built, so the drop happens when the promise completes.
        let source = Promise<Int>()
        let first = source.future.map(on: DroppingExecutor()) { $0 }
        var last = first.map { $0 + 1 }
        for _ in 0..<(longChain / 10) {
            last = last.map { $0 + 1 }
        }
        #expect(last.isPending)
        source.succeed(1)
        let error = try #require(last.error as? FutureError)
        #expect(error.code == .abandoned)
        #expect(error.message.contains("DroppingExecutor"), "the message names the executor that dropped the job")
        let frames = try #require(last.traceback?.frames)
        #expect(frames.first?.operation == "map")
        #expect(frames.first?.role == .raised)
        #expect(frames.count == longChain / 10 + 2)
    }
}
