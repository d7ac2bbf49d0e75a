import Testing

@testable import Futures

@Suite("Closure cells")
struct ClosureCellTests {
    /// A class whose release a test can observe.
    final class Token: Sendable {
        let value: Int
        init(_ value: Int) { self.value = value }
    }

    @Test("a closure that captures nothing comes back unchanged")
    func nonCapturing() throws {
        let raw = pack(MapCell<Int, Int> { $0 * 2 })
        #expect(raw.context == nil)
        let cell = unpack(raw, as: MapCell<Int, Int>.self)
        #expect(try cell.body(21) == 42)
    }

    @Test("a closure that captures values and an object comes back with its captures")
    func capturing() throws {
        let offset = 40
        let token = Token(2)
        let raw = pack(MapCell<Int, String> { "\($0 + offset + token.value)" })
        #expect(raw.context != nil)
        let cell = unpack(raw, as: MapCell<Int, String>.self)
        #expect(try cell.body(0) == "42")
    }

    @Test("a closure that captures existentials comes back with them")
    func existentialCapturing() throws {
        struct Failure: Error, Equatable { let code: Int }
        let error: any Error = Failure(code: 7)
        let payload: any Sendable = "seven"
        let raw = pack(
            RecoverCell<String> { received in
                let matches = (received as? Failure) == (error as? Failure)
                return "\(matches) \(payload)"
            }
        )
        let cell = unpack(raw, as: RecoverCell<String>.self)
        #expect(try cell.body(Failure(code: 7)) == "true seven")
        #expect(try cell.body(Failure(code: 8)) == "false seven")
    }

    @Test("a closure taking and returning existentials comes back callable")
    func existentialSignature() {
        struct Wrapped: Error { let inner: any Error }
        struct Inner: Error {}
        let raw = pack(MapErrorCell { Wrapped(inner: $0) })
        let cell = unpack(raw, as: MapErrorCell.self)
        let mapped = cell.body(Inner())
        #expect((mapped as? Wrapped)?.inner is Inner)
    }

    @Test("the packed closure keeps its captures alive, and releases them when dropped")
    func ownership() {
        weak var observed: Token?
        var raw: RawClosure? = nil
        do {
            let token = Token(5)
            observed = token
            raw = pack(ValueCell<Int> { _ in _ = token.value })
        }
        #expect(observed != nil)
        raw = nil
        #expect(raw == nil)
        #expect(observed == nil)
    }
}
