import Futures

// MARK: - Pipelines

/// One node of a random pipeline, built from earlier nodes, which it names by index.
///
/// Every node is a `Future<Int>`; times are virtual microseconds from the start.
enum PipelineNode: Equatable {
    /// A promise completed by a job at `at`: with a value, with `TestError(id)`, or released (abandoned).
    case promise(PromiseEnding, at: Int)
    /// `Future.succeeded(value)` or `Future.failed(TestError(id))`.
    case immediate(value: Int?, failure: Int?)
    case map(Int, add: Int, onExecutor: Bool)
    /// A `map` that throws `TestError(id)`.
    case mapThrowing(Int, id: Int, onExecutor: Bool)
    case flatMap(Int, inner: Inner, onExecutor: Bool)
    case recover(Int, onExecutor: Bool)
    /// `TestError(id)` becomes `TestError(id + 100)`; other errors stay.
    case mapError(Int, onExecutor: Bool)
    case always(Int, onExecutor: Bool)
    case delay(Int, by: Int)
    case timeout(Int, after: Int)
    /// `combineFutures`, then an inline `map` to the values' wrapping sum.
    case combine([Int], failFast: Bool)
    /// `combineResults`, then an inline `map` that folds the results into one number.
    case combineResults([Int])
    /// `and`, then an inline `map` to `first &* 31 &+ second`.
    case and(Int, Int)
    case firstCompleted([Int])
    case firstSucceeded([Int])

    enum PromiseEnding: Equatable {
        case value(Int)
        case failure(Int)
        case abandoned
    }

    /// The future a `flatMap` returns: done at once, or a promise completed `after` later.
    enum Inner: Equatable {
        case value(add: Int)
        case failure(id: Int)
        case delayedValue(add: Int, after: Int)
        case delayedFailure(id: Int, after: Int)
    }
}

/// A random pipeline: its nodes, and when some of them are cancelled.
struct Pipeline {
    var nodes: [PipelineNode] = []
    /// Node index → the virtual time of a `cancel()` call on it.
    var cancels: [Int: Int] = [:]
}

// MARK: - Expected outcomes

/// An error as the model knows it.
enum ModelError: Equatable {
    case test(Int)
    case cancelled
    case timedOut
    case abandoned
    case other(String)

    init(_ error: any Error) {
        switch error {
        case let error as TestError: self = .test(error.id)
        case is CancellationError: self = .cancelled
        case let error as FutureError where error.code == .timedOut: self = .timedOut
        case let error as FutureError where error.code == .abandoned: self = .abandoned
        default: self = .other(String(describing: error))
        }
    }

    /// What the pipelines' `recover` turns the error into.
    var recovered: Int {
        switch self {
        case .test(let id): 5_000 + id
        case .cancelled: 7_001
        case .timedOut: 7_002
        case .abandoned: 7_003
        case .other: 7_004
        }
    }

    /// What the pipelines' `mapError` turns the error into.
    var mapped: ModelError {
        if case .test(let id) = self { return .test(id + 100) }
        return self
    }
}

/// The parts of a traceback frame the model predicts.
struct ModelFrame: Equatable, CustomStringConvertible {
    var operation: String
    var raised: Bool
    var inputIndex: Int? = nil
    var inputCount: Int? = nil

    init(_ operation: String, raised: Bool = false, inputIndex: Int? = nil, inputCount: Int? = nil) {
        self.operation = operation
        self.raised = raised
        self.inputIndex = inputIndex
        self.inputCount = inputCount
    }

    init(_ frame: Traceback.Frame) {
        self.init(
            frame.operation, raised: frame.role == .raised, inputIndex: frame.inputIndex, inputCount: frame.inputCount)
    }

    var description: String {
        "\(operation)\(raised ? "!" : "")\(inputIndex.map { "[\($0)/\(inputCount ?? -1)]" } ?? "")"
    }
}

/// A node's outcome: its value, or its error and the operations of its traceback.
enum ModelResult: Equatable {
    case value(Int)
    case failure(ModelError, [ModelFrame])

    init?(_ future: Future<Int>) {
        switch future.result {
        case .success(let value)?: self = .value(value)
        case .failure(let error)?:
            self = .failure(ModelError(error), future.traceback?.frames.map(ModelFrame.init) ?? [])
        case nil: return nil
        }
    }

    var isFailure: Bool {
        if case .failure = self { return true }
        return false
    }

    /// The result with `frame` added to a failure's traceback.
    func passing(_ frame: ModelFrame) -> ModelResult {
        guard case .failure(let error, let frames) = self else { return self }
        return .failure(error, frames + [frame])
    }

    /// The code the pipelines' `always` records and `combineResults` folds.
    var code: Int {
        switch self {
        case .value(let value): value
        case .failure(let error, _): -error.recovered
        }
    }
}

/// What the model expects of one node: when it completes, with what, and whether it is already
/// complete when the pipeline has just been built (before the executor runs anything).
struct Expected: Equatable {
    var time: Int
    var result: ModelResult
    var doneAtBuild: Bool
    /// Whether a cancel or a timeout cancelled this very node (rather than an input of it).
    var cancelledHere = false
}

// MARK: - Generating pipelines

/// Builds a random pipeline from a seed.
///
/// Completions fall on a 10 ms grid; cancels and timeouts fall 5 ms off it, each with its own
/// microsecond offset, so that no cancel or timer ever ties with a completion or with another
/// cancel or timer: the reference model never has to guess an order.
struct PipelineGenerator {
    private var random: SplitMix64
    private var offsets: Set<Int> = []

    init(seed: UInt64) {
        random = SplitMix64(seed: seed)
    }

    mutating func make() -> Pipeline {
        var pipeline = Pipeline()
        let count = 3 + random.below(18)
        let sources = 1 + random.below(3)
        for index in 0..<count {
            pipeline.nodes.append(index < sources ? source() : node(below: index))
        }
        for index in 0..<count where random.chance(8) {
            pipeline.cancels[index] = eventTime()
        }
        return pipeline
    }

    private mutating func eventTime() -> Int {
        var offset: Int
        repeat { offset = 1 + random.below(999) } while !offsets.insert(offset).inserted
        return 10_000 * random.below(60) + 5_000 + offset
    }

    private mutating func completionTime() -> Int { 10_000 * (1 + random.below(40)) }

    private mutating func duration() -> Int { 10_000 * (1 + random.below(10)) }

    private mutating func source() -> PipelineNode {
        switch random.below(10) {
        case 0..<4: .promise(.value(random.below(100)), at: completionTime())
        case 4..<6: .promise(.failure(random.below(100)), at: completionTime())
        case 6: .promise(.abandoned, at: completionTime())
        case 7, 8: .immediate(value: random.below(100), failure: nil)
        default: .immediate(value: nil, failure: random.below(100))
        }
    }

    /// An input among the nodes below `count`, most often one of the last few.
    private mutating func input(below count: Int) -> Int {
        random.chance(60) ? count - 1 - random.below(min(count, 3)) : random.below(count)
    }

    private mutating func inputs(below count: Int) -> [Int] {
        (0..<(1 + random.below(4))).map { _ in input(below: count) }
    }

    private mutating func node(below count: Int) -> PipelineNode {
        let onExecutor = random.chance(30)
        switch random.below(100) {
        case 0..<10: return source()
        case 10..<22: return .map(input(below: count), add: 1 + random.below(9), onExecutor: onExecutor)
        case 22..<27: return .mapThrowing(input(below: count), id: 200 + random.below(100), onExecutor: onExecutor)
        case 27..<39:
            let inner: PipelineNode.Inner =
                switch random.below(4) {
                case 0: .value(add: random.below(9))
                case 1: .failure(id: 300 + random.below(100))
                case 2: .delayedValue(add: random.below(9), after: duration())
                default: .delayedFailure(id: 400 + random.below(100), after: duration())
                }
            return .flatMap(input(below: count), inner: inner, onExecutor: onExecutor)
        case 39..<47: return .recover(input(below: count), onExecutor: onExecutor)
        case 47..<53: return .mapError(input(below: count), onExecutor: onExecutor)
        case 53..<59: return .always(input(below: count), onExecutor: onExecutor)
        case 59..<65: return .delay(input(below: count), by: duration())
        case 65..<76: return .timeout(input(below: count), after: eventTime())
        case 76..<84: return .combine(inputs(below: count), failFast: random.chance(50))
        case 84..<87: return .combineResults(inputs(below: count))
        case 87..<92: return .and(input(below: count), input(below: count))
        case 92..<96: return .firstCompleted(inputs(below: count))
        default: return .firstSucceeded(inputs(below: count))
        }
    }
}
