import Futures

/// Draws for the stress and model-based suites, which take every random choice from the library's
/// own `SplitMix64`, so that a seed printed with a failure replays the same operations.
extension SplitMix64 {
    /// A number in `0..<bound`.
    mutating func below(_ bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }

    /// `true` with a probability of `percent` in a hundred.
    mutating func chance(_ percent: Int) -> Bool {
        below(100) < percent
    }
}
