import Foundation
import Futures
import Testing

@Suite("Reading the error with a timeout")
struct FutureErrorWaitTests {
    @Test("error(timeout:) returns the error, nil for a success, and throws timedOut while pending")
    func errorWithTimeout() throws {
        #expect(try Future<Int>.failed(TestError(1)).error(timeout: .zero) as? TestError == TestError(1))
        #expect(try Future.succeeded(1).error(timeout: .zero) == nil)
        let promise = Promise<Int>()
        #expect {
            try promise.future.error(timeout: .milliseconds(10))
        } throws: { ($0 as? FutureError)?.code == .timedOut }
        promise.future.cancel()
        #expect(try promise.future.error(timeout: nil) is CancellationError)
    }

    @Test("error(timeout:) waits for a failure from another thread")
    func errorFromAnotherThread() throws {
        let promise = Promise<Int>()
        Thread.detachNewThread { promise.fail(TestError(2)) }
        #expect(try promise.future.error(timeout: .seconds(30)) as? TestError == TestError(2))
    }
}
