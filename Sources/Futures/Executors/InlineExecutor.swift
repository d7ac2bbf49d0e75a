/// Runs each job on the calling thread, through a trampoline.
///
/// The default executor of every continuation. A job submitted while this thread is already
/// running inline jobs or future callbacks is queued and runs as soon as the current one
/// returns, so chains of any length and shape complete in a loop rather than by recursion.
///
/// ```swift
/// let doubled = future.map(on: .inline) { $0 * 2 }  // the same as future.map { $0 * 2 }
/// ```
public struct InlineExecutor: FutureExecutor {
    /// Creates the inline executor; prefer ``FutureExecutor/inline``.
    ///
    /// ```swift
    /// let executor = InlineExecutor()  // the same as .inline
    /// ```
    public init() {}

    /// Runs `job` now, or right after the job or callback this thread is running.
    ///
    /// ```swift
    /// InlineExecutor().execute { print("runs before execute returns") }
    /// ```
    ///
    /// - Parameter job: The work to run.
    public func execute(_ job: @escaping @Sendable () -> Void) {
        Trampoline.submit(job)
    }
}

extension FutureExecutor where Self == InlineExecutor {
    /// The inline executor: runs jobs on the calling thread, through a trampoline.
    ///
    /// ```swift
    /// future.onSuccess(on: .inline) { print($0) }
    /// ```
    public static var inline: InlineExecutor { InlineExecutor() }
}
