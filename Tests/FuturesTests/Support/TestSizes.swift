import Foundation

/// Whether the full-size runs are on: `FUTURES_FULL=1` in the environment.
///
/// The default `swift test` runs every suite at a size that keeps the whole run short; CI sets
/// `FUTURES_FULL=1` in dedicated steps to run the stress suite (under the thread sanitizer), the
/// stack-safety suite (in a release build) and the model-based suite at their full sizes.
let fullSize = ProcessInfo.processInfo.environment["FUTURES_FULL"] == "1"

/// Whether the suite runs under a sanitizer, where the longest loops are shortened.
let underSanitizer = ProcessInfo.processInfo.environment["FUTURES_SANITIZER"] != nil

/// The length of the long chains: 100,000 links, or a million with `FUTURES_FULL=1` outside a
/// sanitizer.
let longChain = fullSize && !underSanitizer ? 1_000_000 : 100_000

/// How many seeds the determinism proofs run: 1,000, or 10,000 with `FUTURES_FULL=1`.
let determinismSeeds: UInt64 = fullSize ? 10_000 : 1_000
