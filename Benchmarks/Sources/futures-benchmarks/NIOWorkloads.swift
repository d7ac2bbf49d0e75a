import NIOCore
import NIOEmbedded
import NIOPosix

/// The same workloads written against SwiftNIO's `EventLoopFuture`.
///
/// W1–W4 and the memory measurement run on an `EmbeddedEventLoop` (NIO's fastest setting: every
/// call is on the loop, nothing hops); W5 runs on a one-thread `MultiThreadedEventLoopGroup`,
/// whose loop thread completes the promises while the measuring thread attaches callbacks.
enum NIOWorkloads {
    // MARK: - W1: a chain of maps registered before completion

    static func chain(_ stages: Int) -> Int {
        let loop = EmbeddedEventLoop()
        let promise = loop.makePromise(of: Int.self)
        var future = promise.futureResult
        for _ in 0..<stages {
            future = future.map { $0 &+ 1 }
        }
        promise.succeed(0)
        return read(future)
    }

    // MARK: - W2: many completed futures combined into one

    static func fanOut(_ inputs: Int) -> Int {
        let loop = EmbeddedEventLoop()
        var futures: [EventLoopFuture<Int>] = []
        futures.reserveCapacity(inputs)
        for index in 0..<inputs {
            futures.append(loop.makeSucceededFuture(index))
        }
        let combined = EventLoopFuture.whenAllSucceed(futures, on: loop)
        combined.whenSuccess { nioSink = $0.count }
        return nioSink
    }

    // MARK: - W3: many callbacks on one promise

    static func callbacks(_ count: Int) -> Int {
        let loop = EmbeddedEventLoop()
        let promise = loop.makePromise(of: Int.self)
        for _ in 0..<count {
            promise.futureResult.whenSuccess { nioCallbackSum &+= $0 }
        }
        promise.succeed(1)
        return nioCallbackSum
    }

    // MARK: - W4: make, map, complete, read

    static func createMapCompleteRead(_ iterations: Int) -> Int {
        let loop = EmbeddedEventLoop()
        var sum = 0
        for index in 0..<iterations {
            let promise = loop.makePromise(of: Int.self)
            let future = promise.futureResult.map { $0 &+ 1 }
            promise.succeed(index)
            sum &+= read(future)
        }
        return sum
    }

    // MARK: - W5: one thread completes while another attaches callbacks

    static let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    static func crossThread(_ count: Int) -> Int {
        let loop = group.next()
        var promises: [EventLoopPromise<Int>] = []
        promises.reserveCapacity(count)
        for _ in 0..<count {
            promises.append(loop.makePromise(of: Int.self))
        }
        let done = CrossThreadCounter(target: count)
        let completing = promises
        loop.execute {
            for (index, promise) in completing.enumerated() {
                promise.succeed(index)
            }
        }
        for promise in promises {
            promise.futureResult.whenSuccess { _ in done.increment() }
        }
        done.wait()
        return count
    }

    // MARK: - Memory per pending stage

    /// Builds `stages` pending maps; the returned closure completes and releases them.
    static func pendingStages(_ stages: Int) -> () -> Void {
        let loop = EmbeddedEventLoop()
        let promise = loop.makePromise(of: Int.self)
        var future = promise.futureResult
        for _ in 0..<stages {
            future = future.map { $0 &+ 1 }
        }
        let last = future
        return {
            promise.succeed(0)
            blackHole(read(last))
        }
    }

    // MARK: - Reading

    /// Reads a completed future the way NIO offers without blocking: a callback that runs at once.
    @inline(__always)
    static func read(_ future: EventLoopFuture<Int>) -> Int {
        future.whenSuccess { nioSink = $0 }
        return nioSink
    }
}

/// Written only on the thread that drives the embedded loop.
nonisolated(unsafe) var nioSink = 0
nonisolated(unsafe) var nioCallbackSum = 0

/// The Swift Concurrency baseline: `Task {}` and `await task.value`.
enum ConcurrencyWorkloads {
    /// Starts `count` tasks, then awaits each value in order.
    static func tasks(_ count: Int) async -> Int {
        var tasks: [Task<Int, Never>] = []
        tasks.reserveCapacity(count)
        for index in 0..<count {
            tasks.append(Task { index &+ 1 })
        }
        var sum = 0
        for task in tasks {
            sum &+= await task.value
        }
        return sum
    }
}
