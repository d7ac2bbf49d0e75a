import Dispatch
import Futures
import FuturesNIO
import NIOCore
import NIOEmbedded
import NIOPosix
import Testing

@Suite("Bridging EventLoopFuture and Future both ways: outcomes, tracebacks, cancellation, depth, threads")
struct FutureEventLoopFutureTests {
    // MARK: - EventLoopFuture to Future

    @Test("a future bridged from an EventLoopFuture succeeds with its value when it succeeds")
    func bridgedFutureSucceeds() throws {
        let loop = EmbeddedEventLoop()
        let promise = loop.makePromise(of: Int.self)
        let future = Future(promise.futureResult)
        #expect(future.isPending)
        promise.succeed(7)
        #expect(try future.get() == 7)
    }

    @Test("a failure from NIO keeps its error and starts a traceback with a bridge frame at the call site")
    func bridgedFailureHasABridgeFrame() throws {
        let loop = EmbeddedEventLoop()
        let promise = loop.makePromise(of: Int.self)
        let line: UInt = #line + 1
        let future = Future(promise.futureResult).map { $0 + 1 }
        promise.fail(Boom(id: 3))
        #expect(future.error as? Boom == Boom(id: 3))
        let frames = try #require(future.traceback).frames
        #expect(frames.map(\.operation) == ["bridge", "map"])
        #expect(frames.map(\.role) == [.raised, .passedThrough])
        #expect(frames[0].fileID == "FuturesNIOTests/Future+EventLoopFutureTests.swift")
        #expect(frames[0].line == line)
        #expect(frames[0].function == "bridgedFailureHasABridgeFrame()")
    }

    @Test("cancelling a bridged future completes it at once and ignores NIO's later outcome")
    func cancellingTheBridgedFuture() {
        let loop = EmbeddedEventLoop()
        let promise = loop.makePromise(of: Int.self)
        let future = Future(promise.futureResult)
        #expect(future.cancel())
        #expect(future.isCancelled)
        promise.succeed(1)
        #expect(future.isCancelled)
    }

    // MARK: - Future to EventLoopFuture

    @Test("an EventLoopFuture made from a future succeeds on its loop's thread")
    func eventLoopFutureSucceedsOnItsLoop() throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let loop = group.next()
        let promise = Promise<Int>()
        let bridged = promise.future.eventLoopFuture(on: loop)
        let onLoop = bridged.map { _ in loop.inEventLoop }
        promise.succeed(5)
        #expect(try bridged.wait() == 5)
        #expect(try onLoop.wait())
    }

    @Test("NIO sees the original error of a failed future")
    func eventLoopFutureFailsWithTheOriginalError() {
        let loop = EmbeddedEventLoop()
        let promise = Promise<Int>()
        let bridged = promise.future.eventLoopFuture(on: loop)
        let errors = Recorder<Boom?>()
        bridged.whenFailure { errors.append($0 as? Boom) }
        promise.fail(Boom(id: 9))
        loop.run()
        #expect(errors.values == [Boom(id: 9)])
    }

    @Test("a cancelled future fails the EventLoopFuture with CancellationError")
    func cancelledFutureFailsTheEventLoopFuture() {
        let loop = EmbeddedEventLoop()
        let promise = Promise<Int>()
        let bridged = promise.future.eventLoopFuture(on: loop)
        let cancelled = Recorder<Bool>()
        bridged.whenFailure { cancelled.append($0 is CancellationError) }
        promise.future.cancel()
        loop.run()
        #expect(cancelled.values == [true])
    }

    @Test("a released promise fails the EventLoopFuture with abandoned, so the NIO promise never leaks")
    func abandonedPromiseFailsTheEventLoopFuture() {
        let loop = EmbeddedEventLoop()
        let codes = Recorder<FutureError.Code?>()
        do {
            let promise = Promise<Int>()
            promise.future.eventLoopFuture(on: loop).whenFailure { codes.append(($0 as? FutureError)?.code) }
        }
        loop.run()
        #expect(codes.values == [.abandoned])
    }

    @Test("completeWith completes an EventLoopPromise with a future's outcome")
    func completeWithCompletesAnEventLoopPromise() {
        let loop = EmbeddedEventLoop()
        let nioPromise = loop.makePromise(of: String.self)
        let promise = Promise<String>()
        nioPromise.completeWith(promise.future)
        let values = Recorder<String>()
        nioPromise.futureResult.whenSuccess { values.append($0) }
        promise.succeed("done")
        loop.run()
        #expect(values.values == ["done"])
    }

    // MARK: - Depth

    @Test("a chain of 100,000 links bridged back and forth on an embedded loop completes without deep recursion")
    func deepChainOnAnEmbeddedLoop() throws {
        let loop = EmbeddedEventLoop()
        let promise = Promise<Int>()
        var future = promise.future
        for _ in 0..<50_000 {
            future = Future(future.eventLoopFuture(on: loop)).map { $0 + 1 }
        }
        promise.succeed(0)
        loop.run()
        #expect(try future.get() == 50_000)
    }

    @Test("a chain of 100,000 links bridged back and forth on a group completes, and a failure crosses it all")
    func deepChainOnAGroup() throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        defer { try? group.syncShutdownGracefully() }
        let promise = Promise<Int>()
        let failing = Promise<Int>()
        var future = promise.future
        var failure = failing.future
        for _ in 0..<50_000 {
            future = Future(future.eventLoopFuture(on: group.next())).map { $0 + 1 }
            failure = Future(failure.eventLoopFuture(on: group.next())).map { $0 + 1 }
        }
        promise.succeed(0)
        failing.fail(Boom(id: 1))
        #expect(try future.get(timeout: .seconds(60)) == 50_000)
        #expect(failure.wait(timeout: .seconds(60)))
        #expect(failure.error as? Boom == Boom(id: 1))
        let frames = try #require(failure.traceback).frames
        #expect(frames.count == 2)
        #expect(frames.map(\.operation) == ["bridge", "map"])
    }

    // MARK: - Threads

    @Test("round trips from many threads at once all arrive, on a four-loop group")
    func concurrentRoundTrips() throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 4)
        defer { try? group.syncShutdownGracefully() }
        let results = Recorder<Int>()
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            var futures: [Future<Int>] = []
            for index in 0..<500 {
                let promise = Promise<Int>()
                let loop = group.next()
                let trip = Future(promise.future.eventLoopFuture(on: loop))
                    .map(on: loop.futureExecutor) { $0 * 2 }
                futures.append(trip)
                promise.succeed(thread * 1000 + index)
            }
            for future in futures {
                results.append((try? future.get(timeout: .seconds(60))) ?? -1)
            }
        }
        let expected = (0..<8).flatMap { thread in (0..<500).map { (thread * 1000 + $0) * 2 } }
        #expect(results.values.sorted() == expected.sorted())
    }
}
