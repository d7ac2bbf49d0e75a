import Dispatch
import Foundation
import Futures
import Synchronization
import Testing

/// Eight threads race completion, callback registration and removal, cancellation, timeouts and
/// combining on shared promises; afterwards every callback ran exactly once or was removed, no
/// completion was lost and every future is done.
///
/// 8 threads × 100,000 operations with `FUTURES_FULL=1` (CI runs that under the thread sanitizer);
/// 8 × 10,000 otherwise, so that `swift test` stays fast.
@Suite("Stress: eight threads racing on shared futures")
struct StressTests {
    static let threads = 8
    static let operationsPerThread = fullSize ? 100_000 : 10_000
    static let operationsPerRound = 1_000
    static let slotsPerRound = 128

    @Test(
        "completion, callbacks, removal, cancellation, timeouts and combining race without losing anything",
        .timeLimit(.minutes(10))
    )
    func mixedRace() {
        let gate = StressGate(parties: Self.threads + 1)
        for worker in 0..<Self.threads {
            let thread = Thread {
                while true {
                    gate.arriveAndWait()
                    guard let round = gate.current else { return }
                    gate.hand(Self.play(round, worker: worker))
                    gate.arriveAndWait()
                }
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        var operations = 0
        var problems = StressProblems()
        var coverage = StressCoverage()
        for index in 0..<(Self.operationsPerThread / Self.operationsPerRound) {
            let round = StressRound(index: index, slots: Self.slotsPerRound)
            gate.current = round
            gate.arriveAndWait()  // the workers start
            gate.arriveAndWait()  // the workers are done
            let logs = gate.takeLogs()
            operations += logs.reduce(0) { $0 + $1.operations }
            Self.check(round, logs, into: &problems)
            coverage.tally(logs)
        }
        gate.current = nil
        gate.arriveAndWait()
        #expect(operations == Self.threads * Self.operationsPerThread)
        #expect(problems.count == 0, "\(problems.count) problems; the first ones: \(problems.first)")
        // Every race had both endings, so the checks above saw each of them.
        #expect(coverage.everyEndingSeen, "\(coverage)")
        print("Stress: \(operations) operations on \(Self.threads) threads; \(coverage)")
    }

    @Test("closures and callbacks that call back into any future, their own included, never deadlock")
    func reentrantUserCode() throws {
        // Thousands of futures, so that some share a lock with the future whose callbacks run.
        let outcome = try #require(
            withoutHanging { () -> (done: Int, nested: Int) in
                let promises = (0..<4_096).map { _ in Promise<Int>() }
                let source = Promise<Int>()
                let nested = Counter()
                let touch: @Sendable (Int) -> Void = { part in
                    for index in stride(from: part, to: promises.count, by: 5) {
                        let future = promises[index].future
                        _ = (future.isDone, future.result, future.isCancelRequested)
                        future.removeCallback(future.onComplete { _ in nested.increment() })
                        future.map { $0 }.cancel()
                        promises[index].succeed(index)
                    }
                    _ = (source.future.isDone, source.future.result)
                    source.future.onComplete { _ in nested.increment() }
                }
                let future = source.future
                future.onComplete { _ in touch(0) }
                _ = future.map { value in
                    touch(1)
                    return value
                }
                _ = future.always { _ in touch(2) }
                _ = future.flatMap { value in
                    touch(3)
                    return Future.succeeded(value)
                }
                _ = future.map { (_: Int) throws -> Int in throw TestError(1) }.recover { _ in
                    touch(4)
                    return 0
                }
                source.succeed(1)
                return (promises.filter { $0.future.isSucceeded }.count, nested.value)
            }
        )
        #expect(outcome.done == 4_096)
        #expect(outcome.nested == 5)
    }

    // MARK: - Playing a round

    /// One worker's operations of one round, chosen by a generator seeded with the round and the worker.
    static func play(_ round: StressRound, worker: Int) -> StressLog {
        var random = SplitMix64(seed: UInt64(round.index) << 16 | UInt64(worker))
        var log = StressLog()
        for operation in 0..<operationsPerRound {
            let slot = random.below(round.promises.count)
            let promise = round.promises[slot]
            let future = promise.future
            let unique = worker * 1_000_000 + round.index * operationsPerRound + operation
            // Per mille. Completing calls are rare, so that most promises stay pending for a good part
            // of the round while the other operations pile up on them.
            switch random.below(1_000) {
            case 0..<10:
                log.attempts.append((slot, unique, promise.succeed(unique)))
            case 10..<15:
                log.attempts.append((slot, OutcomeCode.failure(unique), promise.fail(TestError(unique))))
            case 15..<20:
                log.attempts.append((slot, OutcomeCode.cancelled, future.cancel()))
            case 20..<25:
                log.timeouts.append((slot, future.timeout(after: .microseconds(random.below(100)), on: round.pool)))
            case 25..<28:
                log.timeouts.append((slot, future.timeout(after: .microseconds(random.below(100)), on: round.queue)))
            case 28..<330:
                register(on: future, slot: slot, round: round, random: &random, log: &log)
            case 330..<430:
                register(on: future, slot: slot, round: round, random: &random, log: &log)
                log.removed[log.removed.count - 1] = future.removeCallback(log.tokens[log.tokens.count - 1])
            case 430..<530:
                removeEarlierCallback(round: round, random: &random, log: &log)
            case 530..<600:
                // A timeout of a derived future cancels only that future when it fires.
                let after = Duration.microseconds(random.below(200))
                log.derivedTimeouts.append((slot, future.map { $0 }.timeout(after: after, on: round.pool)))
            case 600..<640:
                let after = Duration.microseconds(random.below(200))
                log.derivedTimeouts.append((slot, future.map { $0 }.timeout(after: after, on: round.queue)))
            case 640..<730:
                log.maps.append((slot, future.map { $0 + 1 }))
            case 730..<820:
                let other = random.below(round.promises.count)
                log.pairs.append((slot, other, future.and(round.promises[other].future)))
            case 820..<950:
                combine(round: round, random: &random, log: &log)
            default:
                let code: Int
                do {
                    code = try future.get(timeout: .microseconds(random.below(20)))
                } catch {
                    code = OutcomeCode.of(error: error)
                }
                log.waits.append((slot, code))
            }
            log.operations += 1
        }
        return log
    }

    static func register(
        on future: Future<Int>,
        slot: Int,
        round: StressRound,
        random: inout SplitMix64,
        log: inout StressLog
    ) {
        let kinds: [Observation.Kind] = [.complete, .complete, .success, .failure]
        let observation = Observation(slot: slot, kind: kinds[random.below(kinds.count)])
        let onPool = random.chance(30)
        let token: CallbackToken
        switch (observation.kind, onPool) {
        case (.complete, false): token = future.onComplete { observation.record(OutcomeCode.of($0)!) }
        case (.complete, true): token = future.onComplete(on: round.pool) { observation.record(OutcomeCode.of($0)!) }
        case (.success, false): token = future.onSuccess { observation.record($0) }
        case (.success, true): token = future.onSuccess(on: round.pool) { observation.record($0) }
        case (.failure, false): token = future.onFailure { observation.record(OutcomeCode.of(error: $0)) }
        case (.failure, true):
            token = future.onFailure(on: round.pool) { observation.record(OutcomeCode.of(error: $0)) }
        }
        log.observations.append(observation)
        log.tokens.append(token)
        log.removed.append(nil)
    }

    static func removeEarlierCallback(round: StressRound, random: inout SplitMix64, log: inout StressLog) {
        guard !log.tokens.isEmpty else { return }
        let index = random.below(log.tokens.count)
        let future = round.promises[log.observations[index].slot].future
        let removed = future.removeCallback(log.tokens[index])
        if log.removed[index] == true, removed {
            log.anomalies.append("a callback of slot \(log.observations[index].slot) was removed twice")
        }
        log.removed[index] = (log.removed[index] ?? false) || removed
    }

    static func combine(round: StressRound, random: inout SplitMix64, log: inout StressLog) {
        let slots = (0..<(1 + random.below(4))).map { _ in random.below(round.promises.count) }
        let inputs = slots.map { round.promises[$0].future }
        switch random.below(5) {
        case 0, 1:
            let failFast = random.chance(50)
            log.combines.append((slots, failFast, combineFutures(inputs, failFast: failFast)))
        case 2: log.outcomes.append((slots, combineResults(inputs)))
        case 3: log.races.append((slots, false, firstCompleted(inputs)))
        default: log.races.append((slots, true, firstSucceeded(inputs)))
        }
    }
}

// MARK: - Checking a round

extension StressTests {
    /// Closes the round (completes every promise, lets the pool run what it accepted) and checks
    /// every answer the workers recorded against the promises' final outcomes.
    static func check(_ round: StressRound, _ logs: [StressLog], into problems: inout StressProblems) {
        let slots = round.promises.indices
        let closing = slots.map { slot in
            (slot: slot, code: 900_000_000 + slot, won: round.promises[slot].succeed(900_000_000 + slot))
        }
        round.pool.shutdown()
        if !round.pool.awaitTermination(timeout: .seconds(60)) {
            problems.report("round \(round.index): the pool did not terminate")
        }
        for log in logs {
            for timeout in log.timeouts + log.derivedTimeouts where !timeout.future.wait(timeout: .seconds(60)) {
                problems.report("round \(round.index): a timeout of slot \(timeout.slot) never completed")
            }
        }
        let final = slots.map { OutcomeCode.of(round.promises[$0].future.result) ?? Int.min }
        for slot in slots where final[slot] == Int.min {
            problems.report("round \(round.index): slot \(slot) is still pending after it was completed")
        }

        // Exactly one completion wins, and the outcome is the winner's; a slot that no call
        // completed was cancelled by a timeout that fired.
        var winners = [[Int]](repeating: [], count: slots.count)
        for attempt in logs.flatMap(\.attempts) + closing where attempt.won {
            winners[attempt.slot].append(attempt.code)
        }
        let timedOut = Set(
            logs.flatMap(\.timeouts).filter { OutcomeCode.of($0.future.result) == OutcomeCode.timedOut }.map(\.slot)
        )
        for slot in slots {
            switch winners[slot].count {
            case 1 where winners[slot][0] == final[slot]: break
            case 0 where final[slot] == OutcomeCode.cancelled && timedOut.contains(slot): break
            default:
                problems.report("round \(round.index), slot \(slot): winners \(winners[slot]), outcome \(final[slot])")
            }
        }

        for log in logs {
            for anomaly in log.anomalies { problems.report("round \(round.index): \(anomaly)") }
            checkCallbacks(log, final: final, round: round.index, into: &problems)
            checkDerived(log, final: final, round: round.index, into: &problems)
        }
    }

    /// Every callback ran exactly once, with the final outcome, or was removed and never ran.
    static func checkCallbacks(_ log: StressLog, final: [Int], round: Int, into problems: inout StressProblems) {
        for (index, observation) in log.observations.enumerated() {
            let code = final[observation.slot]
            let expected =
                switch (log.removed[index], observation.kind) {
                case (true, _): 0
                case (_, .complete): 1
                case (_, .success): code >= 0 ? 1 : 0
                case (_, .failure): code < 0 ? 1 : 0
                }
            let runs = observation.runs.load(ordering: .relaxed)
            let seen = observation.seen.load(ordering: .relaxed)
            if runs != expected || (runs == 1 && seen != code) {
                problems.report(
                    "round \(round), slot \(observation.slot): a \(observation.kind) callback (removed: "
                        + "\(String(describing: log.removed[index]))) ran \(runs) times, saw \(seen), outcome \(code)"
                )
            }
        }
    }

    /// Timeouts, maps, pairs, combinations and blocking reads agree with the final outcomes.
    static func checkDerived(_ log: StressLog, final: [Int], round: Int, into problems: inout StressProblems) {
        for (slot, future) in log.timeouts + log.derivedTimeouts {
            let code = OutcomeCode.of(future.result)
            if code != OutcomeCode.timedOut && code != final[slot] {
                problems.report("round \(round), slot \(slot): a timeout gave \(String(describing: code))")
            }
        }
        for (slot, future) in log.maps where OutcomeCode.of(future.result) != final[slot] + (final[slot] >= 0 ? 1 : 0) {
            problems.report("round \(round), slot \(slot): a map gave \(String(describing: future.result))")
        }
        for (first, second, future) in log.pairs {
            let actual = CombinedOutcome.of(future.result.map { $0.map { [$0.0, $0.1] } })
            if actual != combined([first, second], final) {
                problems.report("round \(round), slots \(first), \(second): `and` gave \(String(describing: actual))")
            }
        }
        for (inputs, _, future) in log.combines {
            let actual = CombinedOutcome.of(future.result)
            if actual != combined(inputs, final) {
                problems.report("round \(round), slots \(inputs): a combination gave \(String(describing: actual))")
            }
        }
        for (inputs, future) in log.outcomes {
            let actual = future.result.map { $0.map { $0.map { OutcomeCode.of($0)! } } }
            if actual.flatMap({ try? $0.get() }) != inputs.map({ final[$0] }) {
                problems.report("round \(round), slots \(inputs): combineResults gave \(String(describing: actual))")
            }
        }
        for (inputs, firstSuccess, future) in log.races {
            let code = OutcomeCode.of(future.result)
            let successes = inputs.map { final[$0] }.filter { $0 >= 0 }
            let allowed =
                switch (firstSuccess, successes.isEmpty) {
                case (false, _): inputs.map { final[$0] }
                case (true, false): successes
                case (true, true): [final[inputs[0]]]
                }
            if code == nil || !allowed.contains(code!) {
                problems.report(
                    "round \(round), slots \(inputs): \(firstSuccess ? "firstSucceeded" : "firstCompleted") gave "
                        + "\(String(describing: code)), allowed \(allowed)")
            }
        }
        for (slot, code) in log.waits where code != OutcomeCode.timedOut && code != final[slot] {
            problems.report("round \(round), slot \(slot): get(timeout:) gave \(code), outcome \(final[slot])")
        }
    }

    /// All values in input order, or the failure of the lowest-index input that failed.
    static func combined(_ slots: [Int], _ final: [Int]) -> CombinedOutcome {
        if let failed = slots.first(where: { final[$0] < 0 }) { return .failure(final[failed]) }
        return .values(slots.map { final[$0] })
    }
}

/// The outcome of a combination: its values, or the code of its failure.
enum CombinedOutcome: Equatable {
    case values([Int])
    case failure(Int)

    /// The outcome of a result, `nil` while pending.
    static func of(_ result: Result<[Int], any Error>?) -> CombinedOutcome? {
        switch result {
        case .success(let values): .values(values)
        case .failure(let error): .failure(OutcomeCode.of(error: error))
        case nil: nil
        }
    }
}

/// How the races ended, summed over the rounds.
struct StressCoverage: CustomStringConvertible {
    var wins = 0
    var losses = 0
    var removed = 0
    var notRemoved = 0
    var timeoutsFired = 0
    var timeoutsBeaten = 0
    var readsTimedOut = 0
    var readsAnswered = 0

    mutating func tally(_ logs: [StressLog]) {
        for log in logs {
            wins += log.attempts.filter(\.won).count
            losses += log.attempts.filter { !$0.won }.count
            removed += log.removed.filter { $0 == true }.count
            notRemoved += log.removed.filter { $0 == false }.count
            let timeouts = log.timeouts + log.derivedTimeouts
            let fired = timeouts.filter { OutcomeCode.of($0.future.result) == OutcomeCode.timedOut }.count
            timeoutsFired += fired
            timeoutsBeaten += timeouts.count - fired
            let timedOut = log.waits.filter { $0.code == OutcomeCode.timedOut }.count
            readsTimedOut += timedOut
            readsAnswered += log.waits.count - timedOut
        }
    }

    var everyEndingSeen: Bool {
        [wins, losses, removed, notRemoved, timeoutsFired, timeoutsBeaten, readsTimedOut, readsAnswered]
            .allSatisfy { $0 > 0 }
    }

    var description: String {
        "completions won \(wins), lost \(losses); callbacks removed \(removed), too late to remove \(notRemoved); "
            + "timeouts fired \(timeoutsFired), beaten \(timeoutsBeaten); "
            + "blocking reads timed out \(readsTimedOut), answered \(readsAnswered)"
    }
}

/// Problems found while checking: all counted, the first few kept.
struct StressProblems {
    private(set) var count = 0
    private(set) var first: [String] = []

    mutating func report(_ message: String) {
        count += 1
        if first.count < 10 { first.append(message) }
    }
}
