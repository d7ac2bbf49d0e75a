import Futures
import FuturesTesting

/// Inputs for combinator tests that complete through jobs on a test executor.
///
/// Input `i` is `Future.succeeded(value).map(on: executor) { ... }`: it succeeds with its value,
/// or fails with `TestError(i)` raised by the map if `i` is in `failing`. On a seeded executor the
/// inputs complete in a pseudo-random order that the seed determines.
enum SeededInputs {
    /// The file of the `map` that raises the failures, for traceback assertions.
    static let fileID = #fileID
    /// The line of the `map` that raises the failures, for traceback assertions.
    static let mapLine = UInt(#line + 5)

    /// Input `index`, with `value`.
    static func make<V: Sendable>(_ value: V, index: Int, failing: Set<Int>, on executor: TestExecutor) -> Future<V> {
        let fails = failing.contains(index)
        return Future.succeeded(value).map(on: executor) { value in
            if fails { throw TestError(index) }
            return value
        }
    }

    /// Inputs `0..<count`, input `i` with the value `i`.
    static func make(count: Int, failing: Set<Int>, on executor: TestExecutor) -> [Future<Int>] {
        (0..<count).map { make($0, index: $0, failing: failing, on: executor) }
    }

    /// A pseudo-random set of failing indices below `count` for `seed`; empty for one seed in four.
    static func failing(count: Int, seed: UInt64) -> Set<Int> {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 0x632B_E59B_D9B4_E019
        state ^= state >> 29
        guard state % 4 != 0 else { return [] }
        return Set((0..<count).filter { (state >> UInt64(2 + $0)) & 3 == 0 })
    }
}
