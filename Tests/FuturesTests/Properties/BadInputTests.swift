import Dispatch
import Foundation
import Futures
import FuturesTesting
import Testing

/// Every misuse gets its documented, clear answer, and nothing hangs: each case runs on a thread
/// of its own, and a case that has not returned within a minute is reported as a hang.
@Suite("Bad input: documented errors, never a hang")
struct BadInputTests {
    static let shortTimeouts: [Duration] = [.zero, .nanoseconds(-1), .seconds(-3600)]

    @Test("completing twice or after a cancel changes nothing and says so", arguments: CompletionCase.allCases)
    func completion(_ input: CompletionCase) throws {
        let claims = try #require(withoutHanging { input.run() }, "the case hung")
        #expect(claims.failed.isEmpty, "\(claims.failed)")
    }

    @Test(
        "zero and negative timeouts answer at once",
        arguments: ShortTimeoutCase.allCases, BadInputTests.shortTimeouts
    )
    func shortTimeout(_ input: ShortTimeoutCase, _ timeout: Duration) throws {
        let claims = try #require(withoutHanging { input.run(timeout) }, "the case hung")
        #expect(claims.failed.isEmpty, "\(claims.failed)")
    }

    @Test("every combinator answers an empty input at once", arguments: EmptyInputCase.allCases)
    func emptyInput(_ input: EmptyInputCase) throws {
        let claims = try #require(withoutHanging { input.run() }, "the case hung")
        #expect(claims.failed.isEmpty, "\(claims.failed)")
    }

    @Test("asCompleted of no input ends at once", .timeLimit(.minutes(1)))
    func asCompletedEmpty() async {
        var count = 0
        for await _ in asCompleted([Future<Int>]()) { count += 1 }
        #expect(count == 0)
    }

    @Test("work for a shut-down pool fails with executorShutdown or runs at once", arguments: ShutDownCase.allCases)
    func shutDownExecutor(_ input: ShutDownCase) throws {
        let claims = try #require(withoutHanging { input.run() }, "the case hung")
        #expect(claims.failed.isEmpty, "\(claims.failed)")
    }

    @Test("a dropped promise fails its future with abandoned, and wakes its waiters", arguments: DroppedCase.allCases)
    func droppedPromise(_ input: DroppedCase) throws {
        let claims = try #require(withoutHanging { input.run() }, "the case hung")
        #expect(claims.failed.isEmpty, "\(claims.failed)")
    }

    @Test("removing a callback that cannot be removed answers false", arguments: RemovalCase.allCases)
    func removal(_ input: RemovalCase) throws {
        let claims = try #require(withoutHanging { input.run() }, "the case hung")
        #expect(claims.failed.isEmpty, "\(claims.failed)")
    }

    @Test("waiting on a cancelled future throws CancellationError at once", arguments: CancelledWaitCase.allCases)
    func cancelledWait(_ input: CancelledWaitCase) throws {
        let claims = try #require(withoutHanging { input.run() }, "the case hung")
        #expect(claims.failed.isEmpty, "\(claims.failed)")
    }

    @Test("a wait that could never end fails with wouldDeadlock instead", arguments: DeadlockCase.allCases)
    func deadlock(_ input: DeadlockCase) throws {
        let claims = try #require(withoutHanging { input.run() }, "the case hung")
        #expect(claims.failed.isEmpty, "\(claims.failed)")
    }

    @Test(
        "retry with fewer than one attempt fails with invalidArgument and never calls the operation",
        arguments: [0, -1])
    func retryWithoutAttempts(_ attempts: Int) throws {
        let calls = Counter()
        let line = #line + 1
        let result = retry(attempts: attempts, on: TestExecutor()) {
            calls.increment()
            return Future.succeeded(1)
        }
        #expect((result.error as? FutureError)?.code == .invalidArgument)
        let frames = try #require(result.traceback?.frames)
        #expect(frames.map(\.operation) == ["retry"])
        #expect(frames.map(\.role) == [.raised])
        #expect(frames.map(\.line) == [UInt(line)])
        #expect(calls.value == 0)
    }

    @Test("awaiting a cancelled future's value throws CancellationError", .timeLimit(.minutes(1)))
    func awaitCancelled() async {
        let promise = Promise<Int>()
        promise.future.cancel()
        await #expect(throws: CancellationError.self) { try await promise.future.value }
        await #expect(throws: CancellationError.self) { try await promise.future.map { $0 }.value }
    }

    @Test(
        "inspecting a future whose stages capture values, as dump and failed expectations do, does not crash",
        .bug(id: "reliability-6", "Mirror reflects a stage's closure context as an object and traps")
    )
    func reflectingAFuture() async {
        await #expect(processExitsWith: .success) {
            let offset = Int.random(in: 1..<10)
            let promise = Promise<Int>()
            let mapped = promise.future.map { $0 + offset }
            var text = ""
            dump(promise.future, to: &text)
            withExtendedLifetime(mapped) {}
        }
    }

    @Test("a token kept after its future was released does not remove a callback of a new future at its address")
    func staleToken() throws {
        let outcome = try #require(
            withoutHanging {
                var reused = 0
                var wronglyRemoved = 0
                for _ in 0..<100 {
                    var old: Promise<Int>? = Promise()
                    let token = old!.future.onComplete { _ in }
                    let oldAddress = ObjectIdentifier(old!.future)
                    old = nil
                    let new = Promise<Int>()
                    new.future.onComplete { _ in }
                    guard ObjectIdentifier(new.future) == oldAddress else { continue }
                    reused += 1
                    if new.future.removeCallback(token) { wronglyRemoved += 1 }
                }
                return (reused, wronglyRemoved)
            }
        )
        // The allocator decides how often an address is reused (the address sanitizer rarely
        // reuses one soon); when it is, the old token must not match the new future's callback.
        #expect(outcome.1 == 0, "\(outcome.1) of \(outcome.0) stale tokens removed a new future's callback")
    }
}

// MARK: - Completing twice

enum CompletionCase: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case succeedTwice, failAfterSucceed, succeedAfterFail, completeAfterComplete, adoptAfterSucceed
    case succeedAfterCancel, failAfterCancel, adoptAfterCancel, cancelTwice, cancelAfterSuccess

    var testDescription: String { rawValue }

    func run() -> Claims {
        var claims = Claims()
        let promise = Promise<Int>()
        let future = promise.future
        let runs = Counter()
        future.onComplete { _ in runs.increment() }
        switch self {
        case .succeedTwice:
            claims.expect(promise.succeed(1), "the first succeed completes")
            claims.expect(!promise.succeed(2), "the second succeed returns false")
            claims.expect(OutcomeCode.of(future.result) == 1, "the first value stands")
        case .failAfterSucceed:
            promise.succeed(1)
            claims.expect(!promise.fail(TestError(1)), "fail after succeed returns false")
            claims.expect(OutcomeCode.of(future.result) == 1, "the value stands")
        case .succeedAfterFail:
            promise.fail(TestError(1))
            claims.expect(!promise.succeed(1), "succeed after fail returns false")
            claims.expect(future.error as? TestError == TestError(1), "the error stands")
            claims.expect(future.traceback?.frames.map(\.operation) == ["Promise"], "the traceback is unchanged")
        case .completeAfterComplete:
            promise.complete(.success(1))
            claims.expect(!promise.complete(.failure(TestError(2))), "the second complete returns false")
            claims.expect(OutcomeCode.of(future.result) == 1, "the first result stands")
        case .adoptAfterSucceed:
            promise.succeed(1)
            promise.complete(with: .succeeded(2))
            claims.expect(OutcomeCode.of(future.result) == 1, "adopting after completion changes nothing")
        case .succeedAfterCancel, .failAfterCancel, .adoptAfterCancel:
            claims.expect(future.cancel(), "cancelling a pending future succeeds")
            switch self {
            case .succeedAfterCancel: claims.expect(!promise.succeed(1), "succeed after cancel returns false")
            case .failAfterCancel: claims.expect(!promise.fail(TestError(1)), "fail after cancel returns false")
            default: promise.complete(with: .succeeded(1))
            }
            claims.expect(future.isCancelled, "the future stays cancelled")
            claims.expect(future.error is CancellationError, "its error is CancellationError")
        case .cancelTwice:
            claims.expect(future.cancel(), "the first cancel succeeds")
            claims.expect(!future.cancel(), "the second cancel returns false")
        case .cancelAfterSuccess:
            promise.succeed(1)
            claims.expect(!future.cancel(), "cancelling a done future returns false")
            claims.expect(future.isCancelRequested, "the request is still recorded")
            claims.expect(OutcomeCode.of(future.result) == 1, "the value stands")
        }
        claims.expect(runs.value == 1, "the callback ran exactly once, not \(runs.value) times")
        return claims
    }
}

// MARK: - Zero and negative timeouts

enum ShortTimeoutCase: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case get, wait, readDone, timeout, timeoutOfDone, delay, succeededAfter, sleep, retryBackoff
    case awaitTermination, collect, collectDone, waitFutures, queueGet, queueGetAll

    var testDescription: String { rawValue }

    func run(_ timeout: Duration) -> Claims {
        var claims = Claims()
        let executor = TestExecutor()
        let promise = Promise<Int>()
        switch self {
        case .get:
            claims.expect(
                answersAtOnce {
                    do {
                        _ = try promise.future.get(timeout: timeout)
                        claims.expect(false, "get returned a value")
                    } catch {
                        claims.expect((error as? FutureError)?.code == .timedOut, "get throws timedOut, not \(error)")
                    }
                },
                "get answers at once"
            )
            claims.expect(promise.succeed(1), "a timed-out get leaves the future alone")
        case .wait:
            claims.expect(
                answersAtOnce { claims.expect(!promise.future.wait(timeout: timeout), "wait is false") }, "at once")
        case .readDone:
            claims.expect((try? Future.succeeded(5).get(timeout: timeout)) == 5, "a done future's value is read")
            claims.expect(Future<Int>.failed(TestError(2)).wait(timeout: timeout), "a done future needs no wait")
        case .timeout:
            let result = promise.future.timeout(after: timeout, on: executor)
            claims.expect((result.error as? FutureError)?.code == .timedOut, "the result times out at once")
            claims.expect(result.traceback?.frames.map(\.operation) == ["timeout"], "raised at the timeout")
            claims.expect(promise.future.isCancelled, "the source is cancelled")
            claims.expect(executor.pendingCount == 0, "no timer is left")
        case .timeoutOfDone:
            let result = Future.succeeded(5).timeout(after: timeout, on: executor)
            claims.expect(OutcomeCode.of(result.result) == 5, "a done source passes through")
        case .delay, .succeededAfter, .sleep:
            let start = executor.now
            let result: Future<Int> =
                switch self {
                case .delay: Future.succeeded(5).delay(by: timeout, on: executor)
                case .succeededAfter: Future.succeeded(5, after: timeout, on: executor)
                default: Future.sleep(for: timeout, on: executor).map { 5 }
                }
            claims.expect(result.isPending, "the outcome waits for the executor")
            executor.runUntilIdle()
            claims.expect(OutcomeCode.of(result.result) == 5, "the executor delivers it without moving time")
            claims.expect(executor.now == start, "virtual time did not move")
        case .retryBackoff:
            let calls = Counter()
            let result = retry(attempts: 3, backoff: .constant(timeout), on: executor) {
                calls.increment()
                return Future<Int>.failed(TestError(calls.value))
            }
            executor.runUntilIdle()
            claims.expect(result.error as? TestError == TestError(3), "the attempts ran back to back")
            claims.expect(calls.value == 3, "three attempts, not \(calls.value)")
        case .collect, .collectDone, .waitFutures, .queueGet, .queueGetAll:
            return runBlockingCombinator(timeout, promise: promise)
        case .awaitTermination:
            let pool = ThreadPoolExecutor(threadCount: 1)
            claims.expect(answersAtOnce { claims.expect(!pool.awaitTermination(timeout: timeout), "false") }, "at once")
            pool.shutdown()
            claims.expect(pool.awaitTermination(timeout: .seconds(30)), "the pool terminates once shut down")
        }
        return claims
    }
}

extension ShortTimeoutCase {
    /// The blocking combinators with a zero or negative timeout: they look at what is done, and
    /// wait for nothing.
    fileprivate func runBlockingCombinator(_ timeout: Duration, promise: Promise<Int>) -> Claims {
        var claims = Claims()
        let done = Future.succeeded(1)
        let inputs = [done, promise.future]
        let answered = answersAtOnce {
            switch self {
            case .collect:
                do {
                    _ = try collectFutures(inputs, timeout: timeout)
                    claims.expect(false, "collectFutures returned values")
                } catch {
                    claims.expect((error as? FutureError)?.code == .timedOut, "throws timedOut, not \(error)")
                }
            case .collectDone:
                claims.expect((try? collectFutures([done, done], timeout: timeout)) == [1, 1], "done inputs are read")
            case .waitFutures:
                for condition in [WaitCondition.allCompleted, .firstCompleted, .firstFailure] {
                    let (finished, pending) = Futures.waitFutures(inputs, until: condition, timeout: timeout)
                    claims.expect(finished.map(ObjectIdentifier.init) == [ObjectIdentifier(done)], "done: \(finished)")
                    claims.expect(pending.map(ObjectIdentifier.init) == [ObjectIdentifier(promise.future)], "pending")
                }
            case .queueGet:
                let queue = CompletionQueue<Int>()
                queue.put(promise.future)
                claims.expect(queue.get(timeout: timeout) == nil, "nothing is ready: nil")
                queue.put(done)
                claims.expect(queue.get(timeout: timeout) === done, "a ready future is taken")
            default:
                let queue = CompletionQueue<Int>()
                queue.put(contentsOf: inputs)
                claims.expect(queue.getAll(timeout: timeout).map(ObjectIdentifier.init) == [ObjectIdentifier(done)], "")
            }
        }
        claims.expect(answered, "answers at once")
        claims.expect(promise.succeed(2), "nothing was cancelled")
        return claims
    }
}

// MARK: - Empty inputs

enum EmptyInputCase: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case combineFutures, combineFuturesFailFast, combineFuturesPack, combineResults, firstCompleted, firstSucceeded
    case collectFutures, waitFutures, queueGet, queueGetAll

    var testDescription: String { rawValue }

    func run() -> Claims {
        var claims = Claims()
        let none: [Future<Int>] = []
        let answered = answersAtOnce {
            switch self {
            case .combineFutures, .combineFuturesFailFast:
                let result = Futures.combineFutures(none, failFast: self == .combineFuturesFailFast)
                claims.expect(result.result.flatMap { try? $0.get() } == [], "already succeeded with []")
            case .combineFuturesPack:
                claims.expect(Futures.combineFutures().isSucceeded, "already succeeded with ()")
            case .combineResults:
                claims.expect(Futures.combineResults(none).result.flatMap { try? $0.get() }?.isEmpty == true, "[]")
            case .firstCompleted, .firstSucceeded:
                let line = #line + 2
                let result =
                    self == .firstCompleted ? Futures.firstCompleted(none) : Futures.firstSucceeded(none)
                claims.expect((result.error as? FutureError)?.code == .noInputs, "already failed with noInputs")
                let frames = result.traceback?.frames ?? []
                claims.expect(frames.map(\.operation) == [rawValue], "raised at the \(rawValue) frame: \(frames)")
                claims.expect(frames.map(\.line) == [UInt(line)], "at its call site")
            case .collectFutures:
                claims.expect((try? Futures.collectFutures(none)) == [], "collectFutures returns []")
            case .waitFutures:
                for condition in [WaitCondition.allCompleted, .firstCompleted, .firstFailure] {
                    let (done, pending) = Futures.waitFutures(none, until: condition)
                    claims.expect(done.isEmpty && pending.isEmpty, "waitFutures returns ([], [])")
                }
            case .queueGet:
                claims.expect(CompletionQueue<Int>().get() == nil, "an empty queue answers nil without a timeout")
            case .queueGetAll:
                claims.expect(CompletionQueue<Int>().getAll().isEmpty, "an empty queue answers [] without a timeout")
            }
        }
        claims.expect(answered, "answers at once")
        return claims
    }
}
