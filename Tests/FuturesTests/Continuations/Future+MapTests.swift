import Futures
import FuturesTesting
import Testing

@Suite("Continuations")
struct FutureMapTests {
    // MARK: - map and flatMap

    @Test("map transforms a value and passes a failure through untouched")
    func mapValueAndFailure() throws {
        #expect(try Future.succeeded(2).map { $0 * 10 }.get() == 20)
        let failed = Future<Int>.failed(TestError(1)).map { _ in Issue.record("map ran on a failure") }
        #expect(failed.error as? TestError == TestError(1))
    }

    @Test("an error thrown by map fails the result")
    func mapThrows() {
        let future = Future.succeeded(1).map { _ -> Int in throw TestError(2) }
        #expect(future.error as? TestError == TestError(2))
    }

    @Test("map runs on its executor, not before the executor runs it")
    func mapRunsOnExecutor() throws {
        let executor = TestExecutor()
        let future = Future.succeeded(1).map(on: executor) { $0 + 1 }
        #expect(future.isPending)
        #expect(executor.pendingCount == 1)
        #expect(executor.runUntilIdle() == 1)
        #expect(try future.get() == 2)
    }

    @Test("flatMap chains in the returned future")
    func flatMapChains() throws {
        let inner = Promise<String>()
        let future = Future.succeeded(1).flatMap { _ in inner.future }
        #expect(future.isPending)
        inner.succeed("inner")
        #expect(try future.get() == "inner")
    }

    @Test("flatMap skips its closure on failure")
    func flatMapSkipsOnFailure() {
        let future = Future<Int>.failed(TestError(3)).flatMap { _ -> Future<Int> in
            Issue.record("flatMap ran on a failure")
            return .succeeded(0)
        }
        #expect(future.error as? TestError == TestError(3))
    }

    // MARK: - continueWith

    @Test("continueWith runs on success and on failure with the completed antecedent")
    func continueWithAlwaysRuns() throws {
        let onSuccess = Future.succeeded(1).continueWith { done in done.isSucceeded ? "ok" : "failed" }
        let onFailure = Future<Int>.failed(TestError()).continueWith { done in done.isSucceeded ? "ok" : "failed" }
        #expect(try onSuccess.get() == "ok")
        #expect(try onFailure.get() == "failed")
    }

    @Test("continueWith returning a future is flattened")
    func continueWithFlattens() throws {
        let inner = Promise<Int>()
        let future: Future<Int> = Future.succeeded(1).continueWith { _ in inner.future }
        inner.succeed(5)
        #expect(try future.get() == 5)
    }

    @Test("continueWith returning a future of a future is flattened one level per static type")
    func continueWithFlattensOneLevel() throws {
        let nested: Future<Future<Int>> = Future.succeeded(1).continueWith { _ in
            Future<Future<Int>>.succeeded(.succeeded(3))
        }
        let flattened = nested.flatMap { $0 }
        #expect(try flattened.get() == 3)
    }

    // MARK: - Failure handling

    @Test("recover turns a failure into a value and leaves a value alone")
    func recoverTurnsFailureIntoValue() throws {
        #expect(try Future<Int>.failed(TestError(1)).recover { _ in 7 }.get() == 7)
        #expect(try Future.succeeded(1).recover { _ in 7 }.get() == 1)
    }

    @Test("recover receives the original error")
    func recoverReceivesOriginalError() throws {
        let future = Future<Int>.failed(TestError(4)).recover { error in (error as? TestError)?.id ?? -1 }
        #expect(try future.get() == 4)
    }

    @Test("flatRecover replaces a failure with another future's outcome")
    func flatRecoverReplaces() throws {
        let replacement = Promise<Int>()
        let future = Future<Int>.failed(TestError()).flatRecover { _ in replacement.future }
        #expect(future.isPending)
        replacement.succeed(8)
        #expect(try future.get() == 8)
    }

    @Test("mapError replaces the error and keeps the value path")
    func mapErrorReplaces() throws {
        let failed = Future<Int>.failed(TestError(1)).mapError { _ in TestError(2) }
        #expect(failed.error as? TestError == TestError(2))
        #expect(try Future.succeeded(3).mapError { _ in TestError(2) }.get() == 3)
    }

    @Test("always observes the outcome and passes it through")
    func alwaysObserves() throws {
        let seen = Recorder<Bool>()
        let success = Future.succeeded(1).always { seen.append((try? $0.get()) != nil) }
        let failure = Future<Int>.failed(TestError()).always { seen.append((try? $0.get()) != nil) }
        #expect(try success.get() == 1)
        #expect(failure.error is TestError)
        #expect(seen.values == [true, false])
    }

    // MARK: - and

    @Test("and pairs two values")
    func andPairs() throws {
        let pair = try Future.succeeded(1).and(Future.succeeded("one")).get()
        #expect(pair.0 == 1)
        #expect(pair.1 == "one")
    }

    @Test("and reports self's failure before other's, whatever order they failed in")
    func andFailureOrder() {
        let first = Promise<Int>()
        let second = Promise<Int>()
        let pair = first.future.and(second.future)
        second.fail(TestError(2))
        #expect(pair.isPending)
        first.fail(TestError(1))
        #expect(pair.error as? TestError == TestError(1))
        #expect(pair.traceback?.frames.last?.inputIndex == 0)
    }

    @Test("and reports other's failure when self succeeds")
    func andOtherFailure() {
        let pair = Future.succeeded(1).and(Future<Int>.failed(TestError(2)))
        #expect(pair.error as? TestError == TestError(2))
        #expect(pair.traceback?.frames.last?.inputIndex == 1)
        #expect(pair.traceback?.frames.last?.inputCount == 2)
    }

    // MARK: - Executors and cancellation

    @Test("every continuation runs its closure on the executor it was given")
    func everyContinuationUsesItsExecutor() throws {
        let executor = TestExecutor()
        let failed = Future<Int>.failed(TestError())
        let futures: [Future<Int>] = [
            Future.succeeded(1).map(on: executor) { $0 },
            Future.succeeded(1).flatMap(on: executor) { .succeeded($0) },
            Future.succeeded(1).continueWith(on: executor) { try $0.get() },
            Future.succeeded(1).continueWith(on: executor) { $0 },
            failed.recover(on: executor) { _ in 1 },
            failed.flatRecover(on: executor) { _ in .succeeded(1) },
            Future.succeeded(1).mapError(on: executor) { $0 },
            Future.succeeded(1).always(on: executor) { _ in },
        ]
        #expect(futures.allSatisfy { $0.isPending })
        #expect(executor.runUntilIdle() == futures.count)
        for future in futures {
            #expect(try future.get() == 1)
        }
    }

    @Test("cancelling a derived future does not cancel the upstream future")
    func cancelDerivedLeavesUpstream() throws {
        let promise = Promise<Int>()
        let derived = promise.future.map { $0 + 1 }
        let sibling = promise.future.map { $0 + 2 }
        #expect(derived.cancel())
        #expect(derived.isCancelled)
        #expect(promise.future.isPending)
        promise.succeed(1)
        #expect(try sibling.get() == 3)
        #expect(derived.isCancelled)
    }
}
