import Futures
import Testing

@Suite("Futures from results")
struct FutureCompletedTests {
    @Test("Future.completed and Future(result) are done with the result's value or error")
    func fromResult() throws {
        #expect(try Future.completed(.success(1)).get() == 1)
        #expect(try Future(Result<Int, any Error>.success(2)).get() == 2)
        let failed = Future<Int>.completed(.failure(TestError(3)))
        let line = #line - 1
        #expect(failed.error as? TestError == TestError(3))
        #expect(
            failed.traceback?.frames
                == [
                    Traceback.Frame(
                        operation: "Future.completed", fileID: #fileID, line: UInt(line), function: "fromResult()",
                        role: .raised)
                ])
        #expect(Future<Int>(.failure(TestError(4))).traceback?.frames.first?.operation == "Future.completed")
    }

    @Test("succeed() completes a Promise<Void> once")
    func succeedVoid() {
        let promise = Promise<Void>()
        #expect(promise.succeed())
        #expect(!promise.succeed())
        #expect(promise.future.isSucceeded)
    }
}
