import Foundation
import Futures
import FuturesTesting
import Testing

/// The messages a person reads: `localizedDescription` and the timeout messages say what happened.
///
/// This is the suite that asserts on rendered text; elsewhere the tests assert on codes and frames.
@Suite("FutureError messages")
struct FutureErrorMessageTests {
    @Test("localizedDescription of a FutureError is its real message")
    func localizedDescriptionIsTheMessage() throws {
        let error = FutureError(code: .timedOut, message: "no reply in 5 s")
        #expect(error.localizedDescription == "FutureError.timedOut: no reply in 5 s")
        #expect(error.localizedDescription == String(describing: error))
        do {
            _ = try Future<Int>.failed(FutureError(code: .noInputs)).get()
            Issue.record("get() did not throw")
        } catch let caught as FutureError {
            #expect(caught.localizedDescription == "FutureError.noInputs: the combinator was given no input futures")
        }
    }

    #if canImport(Darwin)
    @Test("through any Error, Foundation's localizedDescription shows the real message")
    func localizedDescriptionThroughAnyError() {
        let error: any Error = FutureError(code: .timedOut, message: "no reply in 5 s")
        #expect(error.localizedDescription == "FutureError.timedOut: no reply in 5 s")
    }
    #endif

    @Test("a zero or negative timeout says it timed out at once, not that it waited", arguments: [0, -1])
    func nonPositiveTimeout(seconds: Int) throws {
        let promise = Promise<Int>()
        let limited = promise.future.timeout(after: .seconds(seconds), on: TestExecutor())
        let error = try #require(limited.error as? FutureError)
        #expect(error.code == .timedOut)
        #expect(
            error.message
                == "the timeout was \(Duration.seconds(seconds)), so the future timed out at once without waiting")
        #expect(!error.message.contains("within"))
    }

    @Test("a positive timeout says how long it waited")
    func positiveTimeout() throws {
        let executor = TestExecutor()
        let promise = Promise<Int>()
        let limited = promise.future.timeout(after: .seconds(2), on: executor)
        executor.advance(by: .seconds(2))
        let error = try #require(limited.error as? FutureError)
        #expect(error.message == "the future did not complete within 2.0 seconds")
    }

    @Test("collectFutures with a zero or negative timeout says it did not wait", arguments: [0, -1])
    func collectNonPositiveTimeout(seconds: Int) throws {
        let pending = Promise<Int>()
        let error = try #require(
            #expect(throws: FutureError.self) {
                try collectFutures([Future.succeeded(1), pending.future], timeout: .seconds(seconds))
            })
        #expect(error.code == .timedOut)
        #expect(
            error.message
                == "the timeout was \(Duration.seconds(seconds)), so collectFutures did not wait, and the input at index 1 was still pending"
        )
        pending.succeed(2)
    }

    @Test("get and error(timeout:) with a zero or negative timeout say they did not wait", arguments: [0, -1])
    func blockingWaitNonPositiveTimeout(seconds: Int) throws {
        let pending = Promise<Int>()
        let expected = "the timeout was \(Duration.seconds(seconds)), so the future timed out at once without waiting"
        let fromGet = try #require(
            #expect(throws: FutureError.self) { try pending.future.get(timeout: .seconds(seconds)) })
        let fromError = try #require(
            #expect(throws: FutureError.self) { try pending.future.error(timeout: .seconds(seconds)) })
        #expect(fromGet.code == .timedOut)
        #expect(fromGet.message == expected)
        #expect(fromError.message == expected)
        pending.succeed(1)
    }
}
