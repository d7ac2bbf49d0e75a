import Dispatch
import Futures
import Synchronization

/// The workloads of ANCHORS.md written against swift-futures.
///
/// Each returns a checksum of the values it read. Closures capture nothing, so that they cost no
/// context allocation, exactly as in the SwiftNIO versions.
enum FuturesWorkloads {
    // MARK: - W1: a chain of maps registered before completion

    static func chain(_ stages: Int) -> Int {
        let promise = Promise<Int>()
        var future = promise.future
        for _ in 0..<stages {
            future = future.map { $0 &+ 1 }
        }
        promise.succeed(0)
        return read(future)
    }

    // MARK: - W2: many completed futures combined into one

    static func fanOut(_ inputs: Int) -> Int {
        var futures: [Future<Int>] = []
        futures.reserveCapacity(inputs)
        for index in 0..<inputs {
            futures.append(Future.succeeded(index))
        }
        let combined = combineFutures(futures)
        guard case .success(let values)? = combined.result else { return -1 }
        return values.count
    }

    // MARK: - W3: many callbacks on one promise

    static func callbacks(_ count: Int) -> Int {
        let promise = Promise<Int>()
        for _ in 0..<count {
            promise.future.onSuccess { callbackSum &+= $0 }
        }
        promise.succeed(1)
        return callbackSum
    }

    // MARK: - W4: make, map, complete, read

    static func createMapCompleteRead(_ iterations: Int) -> Int {
        var sum = 0
        for index in 0..<iterations {
            let promise = Promise<Int>()
            let future = promise.future.map { $0 &+ 1 }
            promise.succeed(index)
            sum &+= read(future)
        }
        return sum
    }

    // MARK: - W5: one thread completes while another attaches callbacks

    static func crossThread(_ count: Int) -> Int {
        var promises: [Promise<Int>] = []
        promises.reserveCapacity(count)
        for _ in 0..<count {
            promises.append(Promise<Int>())
        }
        let done = CrossThreadCounter(target: count)
        let completing = promises
        completer.async {
            for (index, promise) in completing.enumerated() {
                promise.succeed(index)
            }
        }
        for promise in promises {
            promise.future.onSuccess { _ in done.increment() }
        }
        done.wait()
        return count
    }

    /// The thread that completes the promises of W5, made once like the event loop of the
    /// SwiftNIO version.
    private static let completer = DispatchQueue(label: "W5 completer")

    // MARK: - Future.async on a thread pool

    static let pool = ThreadPoolExecutor(threadCount: 2)

    static func async(_ count: Int) -> Int {
        var futures: [Future<Int>] = []
        futures.reserveCapacity(count)
        for index in 0..<count {
            futures.append(Future.async(on: pool) { index &+ 1 })
        }
        var sum = 0
        for future in futures {
            sum &+= (try? future.get()) ?? 0
        }
        return sum
    }

    // MARK: - Memory per pending stage

    /// Builds `stages` pending maps; the returned closure completes and releases them.
    static func pendingStages(_ stages: Int) -> () -> Void {
        let promise = Promise<Int>()
        var future = promise.future
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

    @inline(__always)
    static func read(_ future: Future<Int>) -> Int {
        guard case .success(let value)? = future.result else { return -1 }
        return value
    }
}

/// Written only by W3's callbacks, which all run on the completing thread.
nonisolated(unsafe) var callbackSum = 0

/// Counts the callbacks of W5 and lets the measuring thread wait for the last one.
final class CrossThreadCounter: Sendable {
    private let count = Atomic<Int>(0)
    private let target: Int
    private let finished = DispatchSemaphore(value: 0)

    init(target: Int) {
        self.target = target
    }

    func increment() {
        if count.add(1, ordering: .relaxed).newValue == target {
            finished.signal()
        }
    }

    func wait() {
        finished.wait()
    }
}
