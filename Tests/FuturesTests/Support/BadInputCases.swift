import Dispatch
import Foundation
import Futures
import FuturesTesting
import Testing

// The rows of the bad-input tables about executors, promises, callbacks and waits; the tables
// themselves are in BadInputTests.swift.

// MARK: - Shut-down executors

enum ShutDownCase: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case async, asyncObserving, map, flatMap, continueWith, continueWithFuture, recover, flatRecover, mapError
    case always, retry, onComplete, timeout, delay, succeededAfter

    var testDescription: String { rawValue }

    func run() -> Claims {
        var claims = Claims()
        let pool = ThreadPoolExecutor(threadCount: 1)
        pool.shutdown()
        claims.expect(pool.awaitTermination(timeout: .seconds(30)), "the pool terminates")
        let ran = Counter()
        let promise = Promise<Int>()
        let result: Future<Int>
        let mark: @Sendable () -> Int = {
            ran.increment()
            return 1
        }
        switch self {
        case .async: result = Future.async(on: pool) { mark() }
        case .asyncObserving: result = Future.async(on: pool) { _ in mark() }
        case .map: result = promise.future.map(on: pool) { _ in mark() }
        case .flatMap: result = promise.future.flatMap(on: pool) { _ in Future.succeeded(mark()) }
        case .continueWith: result = promise.future.continueWith(on: pool) { (_: Future<Int>) -> Int in mark() }
        case .continueWithFuture:
            result = promise.future.continueWith(on: pool) { (_: Future<Int>) -> Future<Int> in .succeeded(mark()) }
        case .recover: result = promise.future.recover(on: pool) { _ in mark() }
        case .flatRecover: result = promise.future.flatRecover(on: pool) { _ in .succeeded(mark()) }
        case .mapError:
            result = promise.future.mapError(on: pool) { error in
                _ = mark()
                return error
            }
        case .always: result = promise.future.always(on: pool) { _ in _ = mark() }
        case .retry: result = Futures.retry(attempts: 3, on: pool) { .succeeded(mark()) }
        case .onComplete, .timeout, .delay, .succeededAfter:
            return runImmediate(pool: pool, promise: promise, claims: claims)
        }
        // The recovering stages need a failure to run, the others a value.
        if [.recover, .flatRecover, .mapError].contains(self) {
            promise.fail(TestError(1))
        } else {
            promise.succeed(1)
        }
        claims.expect((result.error as? FutureError)?.code == .executorShutdown, "fails with executorShutdown")
        let first = result.traceback?.frames.first
        claims.expect(first?.role == .raised, "raised at the stage that could not be scheduled")
        claims.expect(
            first?.operation == operationName,
            "raised by \(operationName), not \(String(describing: first?.operation))"
        )
        claims.expect(ran.value == 0, "the closure never ran")
        return claims
    }

    /// The operation named by the frame of the stage that could not be scheduled.
    private var operationName: String {
        switch self {
        case .async, .asyncObserving: "Future.async"
        case .continueWithFuture: "continueWith"
        default: rawValue
        }
    }

    /// The cases that never reach a stage of the pool: a callback or a timer.
    ///
    /// A callback bound to the pool runs on the completing thread: early rather than never. The
    /// timer-based operators fail at once with executorShutdown and leave their source alone.
    private func runImmediate(pool: ThreadPoolExecutor, promise: Promise<Int>, claims: Claims) -> Claims {
        var claims = claims
        switch self {
        case .onComplete:
            let ran = Counter()
            promise.future.onComplete(on: pool) { _ in ran.increment() }
            promise.succeed(1)
            claims.expect(ran.value == 1, "the callback ran on the completing thread")
        case .timeout:
            let result = promise.future.timeout(after: .seconds(3600), on: pool)
            claims.expect((result.error as? FutureError)?.code == .executorShutdown, "the timeout fails at once")
            claims.expect(promise.future.isPending, "and leaves the source alone")
        case .delay:
            let result = Future.succeeded(4).delay(by: .seconds(3600), on: pool)
            claims.expect((result.error as? FutureError)?.code == .executorShutdown, "the delay fails at once")
        default:
            let result = Future.succeeded(4, after: .seconds(3600), on: pool)
            claims.expect((result.error as? FutureError)?.code == .executorShutdown, "the timer fails at once")
        }
        return claims
    }
}

// MARK: - Dropped promises

enum DroppedCase: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case plain, throughStages, blockedWaiter, adopting, adoptingDropped

    var testDescription: String { rawValue }

    func run() -> Claims {
        var claims = Claims()
        let line = #line + 1
        var promise: Promise<Int>? = Promise()
        let future = promise!.future
        switch self {
        case .plain:
            promise = nil
            claims.expect((future.error as? FutureError)?.code == .abandoned, "the future fails with abandoned")
            let frames = future.traceback?.frames ?? []
            claims.expect(frames.map(\.operation) == ["Promise"], "one Promise frame, not \(frames)")
            claims.expect(frames.first?.line == UInt(line), "at the promise's creation line")
            claims.expect(frames.first?.role == .raised, "marked raised")
        case .throughStages:
            let result = future.map { $0 + 1 }.mapError { $0 }
            promise = nil
            claims.expect((result.error as? FutureError)?.code == .abandoned, "the chain fails with abandoned")
            let frames = result.traceback?.frames ?? []
            claims.expect(frames.map(\.operation) == ["Promise", "map", "mapError"], "frames \(frames)")
        case .blockedWaiter:
            let waiter = Recorder<(Int, Duration)>()
            let started = DispatchSemaphore(value: 0)
            let done = DispatchSemaphore(value: 0)
            Thread {
                started.signal()
                let start = ContinuousClock.now
                let code: Int
                do { code = try future.get(timeout: .seconds(30)) } catch { code = OutcomeCode.of(error: error) }
                waiter.append((code, ContinuousClock.now - start))
                done.signal()
            }.start()
            started.wait()
            promise = nil
            claims.expect(done.wait(timeout: .now() + 30) == .success, "the waiter returned")
            claims.expect(waiter.values.first?.0 == OutcomeCode.abandoned, "with abandoned")
            claims.expect((waiter.values.first?.1 ?? .seconds(30)) < .seconds(10), "long before its timeout")
        case .adopting:
            let other = Promise<Int>()
            promise!.complete(with: other.future)
            promise = nil
            claims.expect(future.isPending, "a promise that adopted a future is not abandoned")
            other.succeed(4)
            claims.expect(OutcomeCode.of(future.result) == 4, "it takes the adopted outcome")
        case .adoptingDropped:
            var other: Promise<Int>? = Promise()
            promise!.complete(with: other!.future)
            promise = nil
            other = nil
            claims.expect((future.error as? FutureError)?.code == .abandoned, "the adopted abandonment passes on")
            let frames = future.traceback?.frames ?? []
            claims.expect(frames.map(\.role) == [.raised, .passedThrough], "raised by the other, passed on, \(frames)")
        }
        return claims
    }
}

// MARK: - Removing callbacks

enum RemovalCase: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case tokenOfAnotherFuture, removedTwice, afterRun, registeredWhenDone, handedToBusyExecutor

    var testDescription: String { rawValue }

    func run() -> Claims {
        var claims = Claims()
        let promise = Promise<Int>()
        let ran = Counter()
        switch self {
        case .tokenOfAnotherFuture:
            let other = Promise<Int>()
            let token = other.future.onComplete { _ in ran.increment() }
            claims.expect(!promise.future.removeCallback(token), "another future's token removes nothing")
            other.succeed(1)
            claims.expect(ran.value == 1, "the other future's callback still runs")
        case .removedTwice:
            let token = promise.future.onComplete { _ in ran.increment() }
            claims.expect(promise.future.removeCallback(token), "the first removal succeeds")
            claims.expect(!promise.future.removeCallback(token), "the second answers false")
            promise.succeed(1)
            claims.expect(ran.value == 0, "the removed callback never runs")
        case .afterRun:
            let token = promise.future.onComplete { _ in ran.increment() }
            promise.succeed(1)
            claims.expect(!promise.future.removeCallback(token), "a callback that ran cannot be removed")
            claims.expect(ran.value == 1, "it ran once")
        case .registeredWhenDone:
            let token = Future.succeeded(1).onComplete { _ in ran.increment() }
            claims.expect(ran.value == 1, "a callback registered on a done future runs at once")
            claims.expect(!Future.succeeded(1).removeCallback(token), "and cannot be removed")
        case .handedToBusyExecutor:
            let pool = ThreadPoolExecutor(threadCount: 1)
            let gate = DispatchSemaphore(value: 0)
            pool.execute { gate.wait() }
            let token = promise.future.onComplete(on: pool) { _ in ran.increment() }
            promise.succeed(1)
            claims.expect(!promise.future.removeCallback(token), "a callback handed to its executor cannot be removed")
            gate.signal()
            pool.shutdown()
            claims.expect(pool.awaitTermination(timeout: .seconds(30)), "the pool terminates")
            claims.expect(ran.value == 1, "and it runs")
        }
        return claims
    }
}

// MARK: - Waiting on a cancelled future

enum CancelledWaitCase: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case get, getWithTimeout, wait, derived, callbackAfterwards, blockedWaiter, asyncWorkNotStarted

    var testDescription: String { rawValue }

    func run() -> Claims {
        var claims = Claims()
        let promise = Promise<Int>()
        let future = promise.future
        if self != .blockedWaiter { future.cancel() }
        switch self {
        case .get, .getWithTimeout, .derived:
            let target = self == .derived ? future.map { $0 } : future
            claims.expect(
                answersAtOnce {
                    do {
                        _ = try self == .getWithTimeout ? target.get(timeout: .seconds(30)) : target.get()
                        claims.expect(false, "get returned a value")
                    } catch {
                        claims.expect(error is CancellationError, "get throws CancellationError, not \(error)")
                    }
                },
                "get answers at once"
            )
            let operations = target.traceback?.frames.map(\.operation)
            claims.expect(
                operations == (self == .derived ? ["cancel", "map"] : ["cancel"]), "frames \(operations ?? [])")
        case .wait:
            claims.expect(answersAtOnce { claims.expect(future.wait(), "wait is true") }, "wait answers at once")
        case .callbackAfterwards:
            let seen = Recorder<Int>()
            future.onFailure { seen.append(OutcomeCode.of(error: $0)) }
            claims.expect(seen.values == [OutcomeCode.cancelled], "a late callback runs at once with the cancellation")
        case .blockedWaiter:
            let result = Recorder<Int>()
            let done = DispatchSemaphore(value: 0)
            Thread {
                do { result.append(try future.get(timeout: .seconds(30))) } catch {
                    result.append(OutcomeCode.of(error: error))
                }
                done.signal()
            }.start()
            future.cancel()
            claims.expect(done.wait(timeout: .now() + 10) == .success, "cancelling wakes a blocked waiter")
            claims.expect(result.values == [OutcomeCode.cancelled], "with CancellationError")
        case .asyncWorkNotStarted:
            let pool = ThreadPoolExecutor(threadCount: 1)
            let gate = DispatchSemaphore(value: 0)
            pool.execute { gate.wait() }
            let work = Future.async(on: pool) { 1 }
            claims.expect(work.cancel(), "work that has not started can be cancelled")
            claims.expect((try? work.get()) == nil && work.isCancelled, "get throws at once, before the pool is free")
            gate.signal()
            pool.shutdown()
            claims.expect(pool.awaitTermination(timeout: .seconds(30)), "the pool terminates")
        }
        return claims
    }
}

// MARK: - Waits that could never end

enum DeadlockCase: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case testExecutorThread, ownWork, workQueuedBehind

    var testDescription: String { rawValue }

    func run() -> Claims {
        var claims = Claims()
        switch self {
        case .testExecutorThread:
            // A stage of a test executor that nothing drives.
            let executor = TestExecutor()
            let promise = Promise<Int>()
            let stage = promise.future.map(on: executor) { $0 }
            claims.expect(
                answersAtOnce {
                    do {
                        _ = try stage.get()
                    } catch {
                        claims.expect((error as? FutureError)?.code == .wouldDeadlock, "wouldDeadlock, not \(error)")
                    }
                },
                "at once"
            )
            claims.expect(executor.pendingCount == 0, "nothing was left to run")
        case .ownWork:
            let pool = ThreadPoolExecutor(threadCount: 1)
            let own = HandOverBox<Future<Int>>()
            let ready = DispatchSemaphore(value: 0)
            let work = Future.async(on: pool) {
                ready.wait()
                return try own.value!.get()
            }
            own.value = work
            ready.signal()
            claims.expect(work.wait(timeout: .seconds(30)), "work waiting for itself ends")
            claims.expect((work.error as? FutureError)?.code == .wouldDeadlock, "with wouldDeadlock")
            pool.shutdown()
        case .workQueuedBehind:
            let pool = ThreadPoolExecutor(threadCount: 1)
            let outer = Future.async(on: pool) {
                try Future.async(on: pool) { 6 }.get() + 1
            }
            claims.expect((try? outer.get(timeout: .seconds(30))) == 7, "a one-thread pool runs the work it waits for")
            pool.shutdown()
        }
        return claims
    }
}

/// A value set by one thread and read by another.
final class HandOverBox<Value: Sendable>: Sendable {
    private let stored = Locked<Value?>(nil)

    var value: Value? {
        get { stored.withLock { $0 } }
        set { stored.withLock { $0 = newValue } }
    }
}
