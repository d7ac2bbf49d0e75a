import Futures
import Testing

@Suite("unwrap")
struct FutureUnwrapTests {
    @Test("unwrap passes a value on, and replaces nil with the error or the replacement")
    func unwrapValues() throws {
        #expect(try Future<Int?>.succeeded(1).unwrap(orError: TestError()).get() == 1)
        #expect(try Future<Int?>.succeeded(nil).unwrap(orReplace: 5).get() == 5)
        #expect(try Future<Int?>.succeeded(2).unwrap(orReplace: 5).get() == 2)
        let missing = Future<Int?>.succeeded(nil).unwrap(orError: TestError(8))
        #expect(missing.error as? TestError == TestError(8))
        #expect(missing.traceback?.frames.map(\.operation) == ["unwrap"])
        #expect(missing.traceback?.frames.first?.role == .raised)
    }

    @Test("a failure passes through unwrap with an unwrap frame")
    func unwrapFailure() {
        let failed = Future<Int?>.failed(TestError(1)).unwrap(orReplace: 0)
        #expect(failed.error as? TestError == TestError(1))
        #expect(failed.traceback?.frames.map(\.operation) == ["Future.failed", "unwrap"])
        #expect(failed.traceback?.frames.last?.role == .passedThrough)
    }
}
