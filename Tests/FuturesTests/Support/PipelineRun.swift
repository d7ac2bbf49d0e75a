import Futures
import FuturesTesting

/// A pipeline built with real futures on a seeded `TestExecutor` and run to the end of time.
struct PipelineRun {
    /// Each node's outcome, `nil` if it is still pending.
    private(set) var results: [ModelResult?] = []
    /// Each node's virtual completion time in microseconds, `nil` if it never completed.
    private(set) var times: [Int?] = []
    /// Whether each node was done right after the pipeline was built.
    private(set) var doneAtBuild: [Bool] = []
    /// What each `always` node's closure saw, by node.
    private(set) var alwaysSeen: [Int: [Int]] = [:]
    /// Jobs left on the executor at the end.
    private(set) var leftOver = 0

    init(_ pipeline: Pipeline, seed: UInt64) {
        let executor = TestExecutor(seed: seed)
        let origin = executor.now
        let completions = Recorder<(Int, Int)>()
        let always = Recorder<(Int, Int)>()
        var futures: [Future<Int>] = []
        for (index, node) in pipeline.nodes.enumerated() {
            let future = Self.build(node, index: index, futures, executor, always)
            future.onComplete { _ in completions.append((index, Self.microseconds(executor.now - origin))) }
            futures.append(future)
        }
        doneAtBuild = futures.map(\.isDone)
        for (index, time) in pipeline.cancels {
            let future = futures[index]
            executor.execute(after: .microseconds(time)) { future.cancel() }
        }
        executor.advance(by: .seconds(3600))
        leftOver = executor.pendingCount
        results = futures.map { ModelResult($0) }
        times = Array(repeating: nil, count: futures.count)
        for (index, time) in completions.values { times[index] = time }
        for (index, code) in always.values { alwaysSeen[index, default: []].append(code) }
    }

    /// The outcomes, as one comparable string.
    var signature: String { "\(results)" }

    private static func microseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * 1_000_000 + Int(attoseconds / 1_000_000_000_000)
    }

    /// How the run differs from the model's expectations.
    func mismatches(against expected: [Expected], _ pipeline: Pipeline) -> [String] {
        var problems: [String] = []
        if leftOver != 0 { problems.append("\(leftOver) jobs were left on the executor") }
        for (index, node) in expected.enumerated() {
            let name = "node \(index) \(pipeline.nodes[index])"
            if results[index] != node.result {
                problems.append("\(name): \(String(describing: results[index])), expected \(node.result)")
            }
            if times[index] != node.time {
                problems.append("\(name): completed at \(String(describing: times[index])) µs, expected \(node.time)")
            }
            if doneAtBuild[index] != node.doneAtBuild {
                problems.append("\(name): done when built \(doneAtBuild[index]), expected \(node.doneAtBuild)")
            }
            if case .always(let input, _) = pipeline.nodes[index] {
                let seen = alwaysSeen[index] ?? []
                let once = seen == [expected[input].result.code]
                // Cancelled before its input completed, the stage may still run its closure once.
                if !(once || (node.cancelledHere && seen.isEmpty)) {
                    problems.append("\(name): always saw \(seen), expected \(expected[input].result.code) once")
                }
            }
        }
        return problems
    }

    // MARK: - Building

    private static func build(
        _ node: PipelineNode,
        index: Int,
        _ futures: [Future<Int>],
        _ executor: TestExecutor,
        _ always: Recorder<(Int, Int)>
    ) -> Future<Int> {
        switch node {
        case .promise(let ending, let time):
            // The job releases the promise itself, so that an abandoned promise fails its future
            // inside the job, at the job's virtual time.
            let holder = HandOverBox<Promise<Int>>()
            holder.value = Promise<Int>()
            let future = holder.value!.future
            executor.execute(after: .microseconds(time)) {
                switch ending {
                case .value(let value): holder.value?.succeed(value)
                case .failure(let id): holder.value?.fail(TestError(id))
                case .abandoned: break
                }
                holder.value = nil
            }
            return future
        case .immediate(let value, let failure):
            return value.map { Future.succeeded($0) } ?? Future.failed(TestError(failure ?? 0))
        case .map(let input, let add, let onExecutor):
            let body: @Sendable (Int) -> Int = { $0 &+ add }
            return onExecutor ? futures[input].map(on: executor, body) : futures[input].map(body)
        case .mapThrowing(let input, let id, let onExecutor):
            let body: @Sendable (Int) throws -> Int = { _ in throw TestError(id) }
            return onExecutor ? futures[input].map(on: executor, body) : futures[input].map(body)
        case .flatMap(let input, let inner, let onExecutor):
            let body: @Sendable (Int) -> Future<Int> = { value in innerFuture(inner, value, executor) }
            return onExecutor ? futures[input].flatMap(on: executor, body) : futures[input].flatMap(body)
        case .recover(let input, let onExecutor):
            let body: @Sendable (any Error) -> Int = { ModelError($0).recovered }
            return onExecutor ? futures[input].recover(on: executor, body) : futures[input].recover(body)
        case .mapError(let input, let onExecutor):
            let body: @Sendable (any Error) -> any Error = { error in
                (error as? TestError).map { TestError($0.id + 100) } ?? error
            }
            return onExecutor ? futures[input].mapError(on: executor, body) : futures[input].mapError(body)
        case .always(let input, let onExecutor):
            let body: @Sendable (Result<Int, any Error>) -> Void = { result in
                always.append((index, code(result)))
            }
            return onExecutor ? futures[input].always(on: executor, body) : futures[input].always(body)
        case .delay(let input, let duration):
            return futures[input].delay(by: .microseconds(duration), on: executor)
        case .timeout(let input, let deadline):
            return futures[input].timeout(after: .microseconds(deadline), on: executor)
        case .combine(let inputs, let failFast):
            return combineFutures(inputs.map { futures[$0] }, failFast: failFast).map { $0.reduce(0, &+) }
        case .combineResults(let inputs):
            return combineResults(inputs.map { futures[$0] }).map { $0.reduce(0) { $0 &* 7 &+ code($1) } }
        case .and(let first, let second):
            return futures[first].and(futures[second]).map { $0 &* 31 &+ $1 }
        case .firstCompleted(let inputs):
            return firstCompleted(inputs.map { futures[$0] })
        case .firstSucceeded(let inputs):
            return firstSucceeded(inputs.map { futures[$0] })
        }
    }

    private static func innerFuture(_ inner: PipelineNode.Inner, _ value: Int, _ executor: TestExecutor) -> Future<Int>
    {
        switch inner {
        case .value(let add):
            return .succeeded(value &+ add)
        case .failure(let id):
            return .failed(TestError(id))
        case .delayedValue(let add, let after):
            let promise = Promise<Int>()
            executor.execute(after: .microseconds(after)) { promise.succeed(value &+ add) }
            return promise.future
        case .delayedFailure(let id, let after):
            let promise = Promise<Int>()
            executor.execute(after: .microseconds(after)) { promise.fail(TestError(id)) }
            return promise.future
        }
    }

    /// The code `always` records and `combineResults` folds: see ``ModelResult/code``.
    private static func code(_ result: Result<Int, any Error>) -> Int {
        switch result {
        case .success(let value): value
        case .failure(let error): -ModelError(error).recovered
        }
    }
}
