/// SplitMix64: a small pseudo-random generator whose whole sequence its seed determines.
///
/// The stress and model-based suites draw every random choice from one of these, so that a seed
/// printed with a failure replays the same operations.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// A number in `0..<bound`.
    mutating func below(_ bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }

    /// `true` with a probability of `percent` in a hundred.
    mutating func chance(_ percent: Int) -> Bool {
        below(100) < percent
    }
}
