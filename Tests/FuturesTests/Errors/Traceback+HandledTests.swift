import Futures
import FuturesTesting
import Testing

@Suite("Tracebacks through error handlers")
struct TracebackHandledTests {
    /// An error handler, applied to a failed `Future<Int>` so that it raises `error`.
    enum Handler: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case recover, flatRecover, mapError, continueWith, continueWithFuture

        var testDescription: String { rawValue }

        var operation: String { self == .continueWithFuture ? "continueWith" : rawValue }

        func raise(_ error: TestError, from future: Future<Int>, on executor: some FutureExecutor = .inline) -> Future<
            Int
        > {
            switch self {
            case .recover: future.recover(on: executor) { _ in throw error }
            case .flatRecover: future.flatRecover(on: executor) { _ in throw error }
            case .mapError: future.mapError(on: executor) { _ in error }
            case .continueWith: future.continueWith(on: executor) { _ -> Int in throw error }
            case .continueWithFuture: future.continueWith(on: executor) { _ -> Future<Int> in throw error }
            }
        }
    }

    private func steps(_ traceback: Traceback?) -> [String] {
        (traceback?.frames ?? []).map { "\($0.operation):\($0.role == .raised ? "raised" : "passed")" }
    }

    @Test("a handler that raises keeps the handled frames and adds its own raised frame", arguments: Handler.allCases)
    func keepsHandledFrames(handler: Handler) throws {
        let promise = Promise<Int>()
        let upstream = promise.future.map { $0 + 1 }.flatMap { Future.succeeded($0) }
        let handled = handler.raise(TestError(2), from: upstream)
        promise.fail(TestError(1))
        let traceback = try #require(handled.traceback)
        #expect(
            steps(traceback) == ["Promise:raised", "map:passed", "flatMap:passed", "\(handler.operation):raised"])
        #expect(traceback.error as? TestError == TestError(2))
        #expect(traceback.handledError as? TestError == TestError(1))
        #expect(traceback.handled?.frames == upstream.traceback?.frames)
        #expect(traceback.frames.last?.fileID == #fileID)
    }

    @Test("the rule holds when the handler runs on another executor", arguments: Handler.allCases)
    func keepsHandledFramesOnExecutor(handler: Handler) throws {
        let executor = TestExecutor()
        let handled = handler.raise(TestError(2), from: Future<Int>.failed(TestError(1)), on: executor)
        #expect(handled.isPending)
        executor.runUntilIdle()
        #expect(steps(handled.traceback) == ["Future.failed:raised", "\(handler.operation):raised"])
        #expect(handled.traceback?.handledError as? TestError == TestError(1))
    }

    @Test("a handler that rethrows the handled error keeps one section in the printed form")
    func rethrowingKeepsOneSection() throws {
        let rethrown = Future<Int>.failed(TestError(1)).map { $0 }.recover { throw $0 }
        let traceback = try #require(rethrown.traceback)
        #expect(steps(traceback) == ["Future.failed:raised", "map:passed", "recover:raised"])
        #expect(traceback.handledError as? TestError == TestError(1))
        #expect(!traceback.description.contains("During handling"))
    }

    @Test("a continueWith that throws after a success starts a new traceback with nothing handled")
    func continueWithAfterSuccess() throws {
        let future = Future.succeeded(1).continueWith { _ -> Int in throw TestError(2) }
        let traceback = try #require(future.traceback)
        #expect(steps(traceback) == ["continueWith:raised"])
        #expect(traceback.handled == nil)
        #expect(traceback.handledError == nil)
    }

    @Test("a failure that no handler raised has nothing handled, even after a handler passed it on")
    func nothingHandledWithoutHandler() throws {
        let replacement = Future<Int>.failed(TestError(2))
        let future = Future<Int>.failed(TestError(1)).flatRecover { _ in replacement }.map { $0 }
        let traceback = try #require(future.traceback)
        #expect(steps(traceback) == ["Future.failed:raised", "flatRecover:passed", "map:passed"])
        #expect(traceback.handled == nil)
    }

    @Test("handled failures chain: each handled traceback names the one its handler handled")
    func handledChain() throws {
        let future = Future<Int>.failed(TestError(1))
            .recover { _ in throw TestError(2) }
            .map { $0 }
            .mapError { _ in TestError(3) }
        let traceback = try #require(future.traceback)
        #expect(steps(traceback) == ["Future.failed:raised", "recover:raised", "map:passed", "mapError:raised"])
        let first = try #require(traceback.handled)
        #expect(first.error as? TestError == TestError(2))
        #expect(steps(first) == ["Future.failed:raised", "recover:raised", "map:passed"])
        #expect(first.handledError as? TestError == TestError(1))
        #expect(first.handled?.handled == nil)
    }

    @Test("a class error rethrown as the same instance continues its section; a new instance does not")
    func classErrorIdentity() throws {
        final class Failure: Error, Sendable {}
        let failure = Failure()
        let same = Future<Int>.failed(failure).recover { throw $0 }
        let other = Future<Int>.failed(failure).recover { _ in throw Failure() }
        #expect(same.traceback?.description.contains("During handling") == false)
        #expect(other.traceback?.description.contains("During handling") == true)
    }

    @Test("the printed traceback marks the boundary between the handled and the new error, as Python does")
    func rendering() {
        let promise = Promise<Int>()
        let line = #line - 1
        let future = promise.future.map { $0 + 1 }
            .recover { _ in throw TestError(2) }
            .map { $0 }
        promise.fail(TestError(1))
        let file = "FuturesTests/Traceback+HandledTests.swift"
        let expected = """
            Traceback (most recent call last):
              File "\(file)", line \(line), in rendering()
                Promise (raised here)
              File "\(file)", line \(line + 2), in rendering()
                map (passed through)
            TestError(id: 1)

            During handling of the above error, another error occurred:

            Traceback (most recent call last):
              File "\(file)", line \(line + 3), in rendering()
                recover (raised here)
              File "\(file)", line \(line + 4), in rendering()
                map (passed through)
            TestError(id: 2)
            """
        #expect(future.traceback.map(String.init(describing:)) == expected)
    }
}
