/// How long ``retry(attempts:backoff:on:shouldRetry:fileID:line:function:_:)`` waits after each
/// failed attempt before it starts the next one.
///
/// A backoff is a value: a constant delay, an exponentially growing one, and optionally a
/// seedable random jitter that shortens each delay, so that many clients retrying at once do not
/// stampede in step.
///
/// ```swift
/// let steady: Backoff = .constant(.milliseconds(200))
/// let growing: Backoff = .exponential(initial: .milliseconds(100), maximum: .seconds(5))
/// let spread: Backoff = .jittered(growing, fraction: 0.5, seed: 42)
/// print(growing.delay(afterFailure: 3))  // 0.4 seconds
/// ```
///
/// Negative durations are treated as zero. Delays never overflow: an exponential backoff without
/// a maximum stops growing at an internal ceiling of about 35,000 years.
public struct Backoff: Sendable, Hashable {
    private enum Shape: Hashable {
        case constant(Duration)
        case exponential(initial: Duration, multiplier: Double, maximum: Duration?)
    }

    private struct Jitter: Hashable {
        var fraction: Double
        var seed: UInt64?
    }

    private var shape: Shape
    private var jitter: Jitter?

    private init(_ shape: Shape) {
        self.shape = shape
    }

    /// The largest delay a backoff returns, whatever its parameters: 2⁴⁰ seconds.
    private static let ceiling = Duration.seconds(Int64(1) << 40)

    // MARK: - Making backoffs

    /// Waits the same `delay` after every failure.
    ///
    /// ```swift
    /// let result = retry(attempts: 3, backoff: .constant(.seconds(1)), on: queue) { fetch() }
    /// ```
    ///
    /// - Parameter delay: The wait between attempts; zero or negative retries as soon as possible.
    /// - Returns: A constant backoff.
    public static func constant(_ delay: Duration) -> Backoff {
        Backoff(.constant(delay))
    }

    /// Waits `initial` after the first failure, then `multiplier` times longer after each
    /// further one, never longer than `maximum`.
    ///
    /// After the k-th failure the delay is `initial × multiplier^(k−1)`, capped at `maximum`.
    ///
    /// ```swift
    /// let backoff: Backoff = .exponential(initial: .milliseconds(100), maximum: .seconds(1))
    /// // 0.1 s, 0.2 s, 0.4 s, 0.8 s, 1 s, 1 s, ...
    /// ```
    ///
    /// - Parameters:
    ///   - initial: The delay after the first failure; a negative one is treated as zero.
    ///   - multiplier: How much longer each delay is than the one before; finite and not
    ///     negative.
    ///   - maximum: The cap; `nil` for none. A negative cap is treated as zero.
    /// - Returns: An exponential backoff.
    public static func exponential(initial: Duration, multiplier: Double = 2, maximum: Duration? = nil) -> Backoff {
        precondition(
            multiplier.isFinite && multiplier >= 0,
            "Backoff.exponential needs a finite, non-negative multiplier, got \(multiplier)."
        )
        return Backoff(.exponential(initial: initial, multiplier: multiplier, maximum: maximum))
    }

    /// Shortens each delay of `base` by a random part of up to `fraction` of it.
    ///
    /// Each delay `d` becomes a value drawn uniformly from `d × (1 − fraction)` up to `d`, so a
    /// jittered delay never exceeds the delay of `base` or its cap: `fraction: 1` is "full jitter",
    /// `fraction: 0.5` "equal jitter". With a `seed`, the delay after the k-th failure depends
    /// only on the seed and k, so tests are reproducible. Jittering a jittered backoff replaces
    /// its jitter.
    ///
    /// ```swift
    /// let backoff: Backoff = .jittered(.constant(.seconds(1)), fraction: 0.2, seed: 7)
    /// // each delay lies between 0.8 s and 1 s, the same ones on every run
    /// ```
    ///
    /// - Parameters:
    ///   - base: The backoff whose delays are jittered.
    ///   - fraction: The largest share of a delay that jitter removes, from 0 through 1.
    ///   - seed: Makes the jitter reproducible; `nil` draws from the system's random generator.
    /// - Returns: A jittered backoff.
    public static func jittered(_ base: Backoff, fraction: Double, seed: UInt64? = nil) -> Backoff {
        precondition(
            fraction >= 0 && fraction <= 1,
            "Backoff.jittered needs a fraction from 0 through 1, got \(fraction)."
        )
        var backoff = base
        backoff.jitter = Jitter(fraction: fraction, seed: seed)
        return backoff
    }

    // MARK: - Reading delays

    /// The wait after the `failure`-th failed attempt, counting from 1.
    ///
    /// ```swift
    /// let backoff: Backoff = .exponential(initial: .seconds(1), multiplier: 3)
    /// print(backoff.delay(afterFailure: 3))  // 9.0 seconds
    /// ```
    ///
    /// - Parameter failure: How many attempts have failed so far; 1 or more.
    /// - Returns: A delay of zero or more, at most the cap of an exponential backoff.
    public func delay(afterFailure failure: Int) -> Duration {
        precondition(failure >= 1, "Backoff.delay(afterFailure:) counts failures from 1, got \(failure).")
        var delay: Duration
        switch shape {
        case .constant(let constant):
            delay = min(max(constant, .zero), Self.ceiling)
        case .exponential(let initial, let multiplier, let maximum):
            let cap = min(max(maximum ?? Self.ceiling, .zero), Self.ceiling)
            let start = max(initial, .zero)
            let factor = Self.power(multiplier, failure - 1)
            let seconds = Self.seconds(start) * factor
            if start == .zero || factor == 0 {
                delay = .zero
            } else if seconds.isNaN || seconds >= Self.seconds(cap) {
                delay = cap
            } else {
                delay = min(start * factor, cap)
            }
        }
        if let jitter, jitter.fraction > 0, delay > .zero {
            delay = delay * (1 - jitter.fraction * Self.unitRandom(seed: jitter.seed, failure: failure))
        }
        return delay
    }

    // MARK: - Arithmetic

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }

    /// `base` to the power `exponent` (not negative), by repeated squaring: exact for integral
    /// multipliers as long as the result is representable.
    private static func power(_ base: Double, _ exponent: Int) -> Double {
        var result = 1.0
        var square = base
        var remaining = exponent
        while remaining > 0 {
            if remaining & 1 == 1 { result *= square }
            remaining >>= 1
            if remaining > 0 { square *= square }
            if result.isInfinite { return result }
        }
        return result
    }

    /// A number in `0..<1`: from the seed and the failure count, or from the system generator.
    private static func unitRandom(seed: UInt64?, failure: Int) -> Double {
        let bits: UInt64
        if let seed {
            var generator = SplitMix64(seed: seed ^ (UInt64(truncatingIfNeeded: failure) &* 0xD1B5_4A32_D192_ED03))
            bits = generator.next()
        } else {
            var generator = SystemRandomNumberGenerator()
            bits = generator.next()
        }
        return Double(bits >> 11) * 0x1p-53
    }
}
