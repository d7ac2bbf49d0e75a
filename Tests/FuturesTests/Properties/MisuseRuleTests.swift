import Futures
import FuturesTesting
import Testing

/// The preconditions of the calls that have no future to fail, beyond those the suites of
/// `ThreadPoolExecutor` and `Backoff` already check (Guarantees: "One rule for arguments out of
/// range").
@Suite("Misuse: calls without a future to fail stop at a precondition")
struct MisuseRuleTests {
    @Test("advancing a test executor by a negative duration stops the program", .timeLimit(.minutes(1)))
    func negativeAdvance() async {
        await #expect(processExitsWith: .failure) {
            TestExecutor().advance(by: .seconds(-1))
        }
    }

    @Test("a promise told to adopt its own future stops the program", .timeLimit(.minutes(1)))
    func adoptingItsOwnFuture() async {
        await #expect(processExitsWith: .failure) {
            let promise = Promise<Int>()
            promise.complete(with: promise.future)
        }
    }

    @Test("the same calls with arguments in range go on")
    func inRange() throws {
        let executor = TestExecutor()
        executor.advance(by: .zero)
        let promise = Promise<Int>()
        promise.complete(with: .succeeded(1))
        #expect(try promise.future.get() == 1)
    }
}
