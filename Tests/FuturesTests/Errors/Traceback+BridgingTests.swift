import Futures
import Testing

@Suite("Bridging hook: a future completed by another futures library, with a bridge frame")
struct TracebackBridgingTests {
    /// A stand-in for a foreign future type: it stores its completion callback until completed.
    private final class ForeignFuture: @unchecked Sendable {
        // Only touched by the test's own thread.
        var callback: (@Sendable (Result<Int, any Error>) -> Void)?

        func whenComplete(_ callback: @escaping @Sendable (Result<Int, any Error>) -> Void) {
            self.callback = callback
        }
    }

    @Test("the bridged future stays pending until the foreign future succeeds, then has its value")
    func bridgedFutureSucceeds() throws {
        let foreign = ForeignFuture()
        let future = Future<Int>(bridging: { complete in foreign.whenComplete(complete) })
        #expect(future.isPending)
        foreign.callback?(.success(4))
        #expect(try future.get() == 4)
    }

    @Test("a foreign failure keeps its error and starts a traceback with one raised bridge frame")
    func foreignFailureHasABridgeFrame() throws {
        let foreign = ForeignFuture()
        let line: UInt = #line + 1
        let future = Future<Int>(bridging: { complete in foreign.whenComplete(complete) }).map { $0 + 1 }
        foreign.callback?(.failure(TestError()))
        #expect(future.error is TestError)
        let frames = try #require(future.traceback).frames
        #expect(
            frames.first
                == Traceback.Frame(
                    operation: "bridge",
                    fileID: #fileID,
                    line: line,
                    function: "foreignFailureHasABridgeFrame()",
                    role: .raised
                )
        )
        #expect(frames.map(\.operation) == ["bridge", "map"])
    }

    @Test("the first completion wins, and a cancelled bridged future ignores the foreign outcome")
    func firstCompletionWins() throws {
        let foreign = ForeignFuture()
        let future = Future<Int>(bridging: { complete in foreign.whenComplete(complete) })
        foreign.callback?(.success(1))
        foreign.callback?(.success(2))
        #expect(try future.get() == 1)

        let other = ForeignFuture()
        let cancelled = Future<Int>(bridging: { complete in other.whenComplete(complete) })
        #expect(cancelled.cancel())
        other.callback?(.success(3))
        #expect(cancelled.isCancelled)
    }
}
