#if canImport(Darwin)
import Foundation

// Foundation is part of the operating system on Apple platforms, so this conformance costs nothing
// there; on Linux the library stays free of Foundation (see `FutureError.localizedDescription`).
extension FutureError: LocalizedError {
    /// The same text as ``description``, so that `localizedDescription` shows the real message.
    ///
    /// ```swift
    /// let error: any Error = FutureError(code: .noInputs)
    /// print(error.localizedDescription)  // FutureError.noInputs: the combinator was given no input futures
    /// ```
    public var errorDescription: String? {
        description
    }
}
#endif
