import Futures
import Testing

@Suite("Traceback")
struct TracebackTests {
    typealias Frame = Traceback.Frame

    private func summary(_ future: Future<some Sendable>) -> [String] {
        (future.traceback?.frames ?? []).map {
            "\($0.operation)@\($0.line):\($0.role == .raised ? "raised" : "passed")"
        }
    }

    @Test("a failed promise gives one raised frame at its creation site, in this file")
    func promiseFrame() throws {
        let promise = Promise<Int>()
        let line = UInt(#line - 1)
        promise.fail(TestError())
        let frames = try #require(promise.future.traceback?.frames)
        #expect(
            frames == [
                Frame(operation: "Promise", fileID: #fileID, line: line, function: "promiseFrame()", role: .raised)
            ])
    }

    @Test("map adds a passed-through frame; a throwing map adds a raised frame")
    func mapFrames() {
        let promise = Promise<Int>()
        let line = #line - 1
        let mapped = promise.future.map { $0 + 1 }
        let throwing = Future.succeeded(1).map { _ -> Int in throw TestError() }
        let throwingLine = #line - 1
        promise.fail(TestError())
        #expect(summary(mapped) == ["Promise@\(line):raised", "map@\(line + 2):passed"])
        #expect(summary(throwing) == ["map@\(throwingLine):raised"])
        #expect(mapped.traceback?.frames.allSatisfy { $0.fileID == #fileID } == true)
    }

    @Test("flatMap and continueWith join the returned future's traceback to the chain's")
    func flatteningFrames() {
        let inner = Promise<Int>()
        let line = #line - 1
        let viaFlatMap = Future.succeeded(1).flatMap { _ in inner.future }
        let viaContinueWith = Future.succeeded(1).continueWith { _ in inner.future }
        inner.fail(TestError())
        #expect(summary(viaFlatMap) == ["Promise@\(line):raised", "flatMap@\(line + 2):passed"])
        #expect(summary(viaContinueWith) == ["Promise@\(line):raised", "continueWith@\(line + 3):passed"])
    }

    @Test("a throwing continueWith adds a raised frame")
    func continueWithRaises() {
        let future = Future.succeeded(1).continueWith { _ -> Int in throw TestError() }
        let line = #line - 1
        #expect(summary(future) == ["continueWith@\(line):raised"])
    }

    @Test("recover ends the traceback; a throwing recover keeps the handled frames and adds its own")
    func recoverFrames() {
        let recovered = Future<Int>.failed(TestError()).recover { _ in 1 }
        #expect(recovered.traceback == nil)
        let rethrown = Future<Int>.failed(TestError(1)).recover { _ in throw TestError(2) }
        let line = #line - 1
        #expect(summary(rethrown) == ["Future.failed@\(line):raised", "recover@\(line):raised"])
        #expect(rethrown.traceback?.error as? TestError == TestError(2))
        #expect(rethrown.traceback?.handledError as? TestError == TestError(1))
    }

    @Test("flatRecover joins the replacement's traceback")
    func flatRecoverFrames() {
        let replacement = Future<Int>.failed(TestError(2))
        let line = #line - 1
        let future = Future<Int>.failed(TestError(1)).flatRecover { _ in replacement }
        #expect(summary(future) == ["Future.failed@\(line):raised", "flatRecover@\(line + 2):passed"])
    }

    @Test("mapError keeps the traceback and records itself")
    func mapErrorFrames() {
        let future = Future<Int>.failed(TestError(1)).mapError { _ in TestError(2) }
        let line = #line - 1
        #expect(summary(future) == ["Future.failed@\(line):raised", "mapError@\(line):raised"])
        #expect(future.error as? TestError == TestError(2))
        #expect(future.traceback?.handledError as? TestError == TestError(1))
    }

    @Test("always, and and cancel record their frames")
    func otherOperatorFrames() {
        let failed = Future<Int>.failed(TestError())
        let line = #line - 1
        let observed = failed.always { _ in }
        let paired = failed.and(Future.succeeded(1))
        #expect(summary(observed) == ["Future.failed@\(line):raised", "always@\(line + 2):passed"])
        #expect(summary(paired) == ["Future.failed@\(line):raised", "and@\(line + 3):passed"])
        let promise = Promise<Int>()
        promise.future.cancel()
        let cancelLine = #line - 1
        #expect(summary(promise.future) == ["cancel@\(cancelLine):raised"])
    }

    @Test("the original error is what get, error and recover give back")
    func originalErrorSurvives() throws {
        let future = Future<Int>.failed(TestError(9)).map { $0 }.flatMap { Future.succeeded($0) }
        do {
            _ = try future.get()
            Issue.record("get did not throw")
        } catch let error as TestError {
            #expect(error == TestError(9))
        }
        #expect(future.error as? TestError == TestError(9))
        #expect(try future.recover { ($0 as? TestError)?.id ?? 0 }.get() == 9)
    }

    @Test("tracebacks are nil while pending and on success")
    func nilUnlessFailed() {
        let promise = Promise<Int>()
        #expect(promise.future.traceback == nil)
        promise.succeed(1)
        #expect(promise.future.traceback == nil)
    }

    @Test("reading a traceback never grows it, and branches share no state")
    func immutable() throws {
        let promise = Promise<Int>()
        let left = promise.future.map { $0 }
        let right = promise.future.map { $0 }.map { $0 }
        promise.fail(TestError())
        let first = try #require(left.traceback?.frames)
        let second = try #require(left.traceback?.frames)
        #expect(first == second)
        #expect(first.count == 2)
        #expect(right.traceback?.frames.count == 3)
        #expect(promise.future.traceback?.frames.count == 1)
    }

    @Test("the printed traceback reads like Python's")
    func rendering() {
        let promise = Promise<Int>()
        let line = #line - 1
        let future = promise.future.map { $0 + 1 }
        promise.fail(TestError(3))
        let expected = """
            Traceback (most recent call last):
              File "FuturesTests/TracebackTests.swift", line \(line), in rendering()
                Promise (raised here)
              File "FuturesTests/TracebackTests.swift", line \(line + 2), in rendering()
                map (passed through)
            TestError(id: 3)
            """
        #expect(future.traceback.map(String.init(describing:)) == expected)
    }

    @Test("a frame for a combinator input renders its ordinal, counting from one, and the count")
    func inputFrameRendering() {
        let frame = Frame(
            operation: "combineFutures",
            fileID: "App/Run.swift",
            line: 20,
            function: "run()",
            role: .passedThrough,
            inputIndex: 1,
            inputCount: 3
        )
        #expect(frame.description == "App/Run.swift:20 in run(): combineFutures: input 2 of 3 (passed through)")
        #expect(frame.inputIndex == 1)
    }
}
