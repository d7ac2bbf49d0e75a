import Futures
import Testing

@Suite("Debug assertions")
struct FutureAssertTests {
    @Test("assertSuccess and assertFailure pass the expected outcome through")
    func passThrough() throws {
        #expect(try Future.succeeded(1).assertSuccess().get() == 1)
        let failed = Future<Int>.failed(TestError(2)).assertFailure()
        #expect(failed.error as? TestError == TestError(2))
        #expect(failed.traceback?.frames.map(\.operation) == ["Future.failed", "assertFailure"])
    }

    #if DEBUG
    @Test("in a debug build, assertSuccess on a failure stops the process", .timeLimit(.minutes(1)))
    func assertSuccessTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = Future<Int>.failed(TestError()).assertSuccess()
        }
    }

    @Test("in a debug build, assertFailure on a success stops the process", .timeLimit(.minutes(1)))
    func assertFailureTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = Future.succeeded(1).assertFailure()
        }
    }
    #endif
}
