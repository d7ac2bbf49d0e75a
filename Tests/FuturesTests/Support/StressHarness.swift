import Foundation
import Futures
import Synchronization

// MARK: - Outcome codes

/// An outcome as one comparable number: a value (never negative) or a code for its error.
enum OutcomeCode {
    static let cancelled = -1
    static let timedOut = -2
    static let abandoned = -3
    static let otherError = -4

    /// The code of `TestError(id)`.
    static func failure(_ id: Int) -> Int { -1_000 - id }

    /// The code of an error.
    static func of(error: any Error) -> Int {
        switch error {
        case let error as TestError: failure(error.id)
        case is CancellationError: cancelled
        case let error as FutureError where error.code == .timedOut: timedOut
        case let error as FutureError where error.code == .abandoned: abandoned
        default: otherError
        }
    }

    /// The code of a result, `nil` while the future is pending.
    static func of(_ result: Result<Int, any Error>?) -> Int? {
        switch result {
        case .success(let value): value
        case .failure(let error): of(error: error)
        case nil: nil
        }
    }
}

// MARK: - One round

/// What the threads of one round share: the promises they race on and the executors they use.
final class StressRound: Sendable {
    let index: Int
    let promises: [Promise<Int>]
    let pool = ThreadPoolExecutor(threadCount: 2)
    let queue = DispatchQueue(label: "stress", attributes: .concurrent)

    init(index: Int, slots: Int) {
        self.index = index
        self.promises = (0..<slots).map { _ in Promise<Int>() }
    }
}

/// A callback registered during a round, and what it saw.
final class Observation: Sendable {
    enum Kind: Sendable {
        case complete, success, failure
    }

    let slot: Int
    let kind: Kind
    let runs = Atomic<Int>(0)
    let seen = Atomic<Int>(Int.min)

    init(slot: Int, kind: Kind) {
        self.slot = slot
        self.kind = kind
    }

    func record(_ code: Int) {
        seen.store(code, ordering: .relaxed)
        runs.add(1, ordering: .relaxed)
    }
}

/// One worker's record of a round: what it did, and what each call answered.
struct StressLog: Sendable {
    var operations = 0
    var attempts: [(slot: Int, code: Int, won: Bool)] = []
    var observations: [Observation] = []
    var tokens: [CallbackToken] = []
    /// `removeCallback`'s answer per observation; `nil` if the worker never tried to remove it.
    var removed: [Bool?] = []
    /// Timeouts of the promises' own futures, which cancel them when they fire.
    var timeouts: [(slot: Int, future: Future<Int>)] = []
    /// Timeouts of futures derived from the promises', which cancel only those when they fire.
    var derivedTimeouts: [(slot: Int, future: Future<Int>)] = []
    var maps: [(slot: Int, future: Future<Int>)] = []
    var pairs: [(first: Int, second: Int, future: Future<(Int, Int)>)] = []
    var combines: [(slots: [Int], failFast: Bool, future: Future<[Int]>)] = []
    /// `combineResults` of the promises in `slots`.
    var outcomes: [(slots: [Int], future: Future<[Result<Int, any Error>]>)] = []
    /// `firstSucceeded` (`firstSuccess`) or `firstCompleted` of the promises in `slots`.
    var races: [(slots: [Int], firstSuccess: Bool, future: Future<Int>)] = []
    var waits: [(slot: Int, code: Int)] = []
    /// Answers that were wrong the moment they were given.
    var anomalies: [String] = []
}

// MARK: - Starting and ending rounds together

/// A reusable barrier for the coordinating thread and the workers, which also hands over the
/// round and the workers' logs.
// `arrived`, `generation`, `round` and `logs` are accessed only while `condition` is locked, which
// also orders everything a thread did before arriving before everything others do after leaving.
final class StressGate: @unchecked Sendable {
    private let condition = NSCondition()
    private let parties: Int
    private var arrived = 0
    private var generation = 0
    private var round: StressRound?
    private var logs: [StressLog] = []

    init(parties: Int) {
        self.parties = parties
    }

    /// Waits until every party has arrived.
    func arriveAndWait() {
        condition.lock()
        defer { condition.unlock() }
        let current = generation
        arrived += 1
        if arrived == parties {
            arrived = 0
            generation += 1
            condition.broadcast()
        } else {
            while generation == current { condition.wait() }
        }
    }

    /// The round to play; `nil` tells the workers to exit.
    var current: StressRound? {
        get { condition.withLock { round } }
        set { condition.withLock { round = newValue } }
    }

    func hand(_ log: StressLog) {
        condition.withLock { logs.append(log) }
    }

    func takeLogs() -> [StressLog] {
        condition.withLock {
            defer { logs = [] }
            return logs
        }
    }
}
