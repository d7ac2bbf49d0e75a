import Dispatch
import Futures
import Testing

/// Many threads complete, register and remove at once, and nothing is lost.
///
/// Every callback runs exactly once or is removed. The suite runs under the thread sanitizer in CI.
@Suite("Concurrency")
struct ConcurrencyTests {
    static let rounds = underSanitizer ? 200 : 2_000

    @Test("callbacks registered while other threads complete run exactly once each")
    func registerWhileCompleting() {
        let promises = (0..<Self.rounds).map { _ in Promise<Int>() }
        let runs = (0..<Self.rounds).map { _ in Counter() }
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            for index in 0..<Self.rounds {
                switch worker {
                case 0: promises[index].succeed(index)
                case 1: promises[index].fail(TestError(index))
                default: promises[index].future.onComplete { _ in runs[index].increment() }
                }
            }
        }
        #expect(runs.allSatisfy { $0.value == 2 })
        #expect(promises.allSatisfy { $0.future.isDone })
    }

    @Test("a callback is either removed or run, never both and never neither")
    func removeWhileCompleting() {
        let promises = (0..<Self.rounds).map { _ in Promise<Int>() }
        let runs = (0..<Self.rounds).map { _ in Counter() }
        let tokens = promises.enumerated().map { index, promise in
            promise.future.onComplete { _ in runs[index].increment() }
        }
        let removed = (0..<Self.rounds).map { _ in Counter() }
        DispatchQueue.concurrentPerform(iterations: 2) { worker in
            for index in 0..<Self.rounds {
                if worker == 0 {
                    promises[index].succeed(index)
                } else if promises[index].future.removeCallback(tokens[index]) {
                    removed[index].increment()
                }
            }
        }
        for index in 0..<Self.rounds {
            #expect(runs[index].value + removed[index].value == 1)
        }
    }

    @Test("completing from many threads at once: exactly one completion wins")
    func racingCompletions() {
        for round in 0..<(Self.rounds / 10) {
            let promise = Promise<Int>()
            let wins = Counter()
            let seen = Recorder<Int>()
            promise.future.onSuccess { seen.append($0) }
            DispatchQueue.concurrentPerform(iterations: 4) { worker in
                if promise.succeed(worker) { wins.increment() }
            }
            #expect(wins.value == 1, "round \(round)")
            #expect(seen.values.count == 1)
            #expect(seen.values.first == (try? promise.future.get()))
        }
    }

    @Test("chains built and completed on different threads deliver every value")
    func chainsAcrossThreads() throws {
        let promises = (0..<Self.rounds).map { _ in Promise<Int>() }
        let results = Recorder<Future<Int>>()
        DispatchQueue.concurrentPerform(iterations: 2) { worker in
            if worker == 0 {
                for promise in promises {
                    results.append(promise.future.map { $0 + 1 }.flatMap { Future.succeeded($0 * 2) })
                }
            } else {
                for (index, promise) in promises.enumerated() { promise.succeed(index) }
            }
        }
        let values = try results.values.map { try $0.get(timeout: .seconds(30)) }
        #expect(values == (0..<Self.rounds).map { ($0 + 1) * 2 })
    }

    @Test("cancel racing completion leaves one consistent outcome")
    func cancelRacingCompletion() {
        for _ in 0..<Self.rounds {
            let promise = Promise<Int>()
            let outcomes = Counter()
            promise.future.onComplete { _ in outcomes.increment() }
            let results = Recorder<Bool>()
            DispatchQueue.concurrentPerform(iterations: 2) { worker in
                results.append(worker == 0 ? promise.succeed(1) : promise.future.cancel())
            }
            #expect(results.values.filter { $0 }.count == 1)
            #expect(outcomes.value == 1)
            #expect(promise.future.isCancelled != promise.future.isSucceeded)
        }
    }
}
