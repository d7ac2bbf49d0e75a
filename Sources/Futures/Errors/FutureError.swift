/// An error raised by the library itself, as opposed to an error thrown by user code.
///
/// Errors thrown by your closures and passed to `fail(_:)` are never wrapped: they reach
/// `get()`, `value`, `error` and `recover` unchanged. `FutureError` reports what the library
/// decided: a timeout, a dropped promise, a shut-down executor, a wait that would deadlock, or a
/// combinator given no input.
///
/// ```swift
/// do {
///     _ = try future.get(timeout: .seconds(1))
/// } catch let error as FutureError where error.code == .timedOut {
///     print("gave up waiting")
/// }
/// ```
public struct FutureError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public var code: Code

    /// Additional detail, shown in ``description``; empty when the code says it all.
    public var message: String

    /// Creates an error with a code and an optional detail message.
    ///
    /// ```swift
    /// promise.fail(FutureError(code: .timedOut, message: "no reply from the server in 5 s"))
    /// ```
    ///
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - message: Additional detail for people reading logs.
    public init(code: Code, message: String = "") {
        self.code = code
        self.message = message
    }

    /// A readable explanation of the error, naming its code.
    public var description: String {
        message.isEmpty ? "FutureError.\(code): \(code.explanation)" : "FutureError.\(code): \(message)"
    }

    /// The same text as ``description``, under the name Foundation users read.
    ///
    /// On Apple platforms `FutureError` also conforms to Foundation's `LocalizedError`, so
    /// `localizedDescription` shows this text whatever the static type: `any Error` in a `catch`
    /// block included. On Linux the library does not import Foundation, so this member answers
    /// when the static type is `FutureError`; through `any Error`, Foundation's
    /// `localizedDescription` there reads "The operation could not be completed" instead: print
    /// the error (`"\(error)"`) to get the message on every platform.
    ///
    /// ```swift
    /// do {
    ///     _ = try future.get(timeout: .seconds(1))
    /// } catch let error as FutureError {
    ///     print(error.localizedDescription)  // FutureError.timedOut: the future did not complete within 1.0 seconds
    /// }
    /// ```
    public var localizedDescription: String {
        description
    }

    /// The kind of a ``FutureError``.
    ///
    /// A struct rather than an enum, so that new codes can be added without breaking `switch`
    /// statements in client code. Compare with `==` or match with `case .timedOut:`.
    ///
    /// ```swift
    /// guard let error = future.error as? FutureError else { return }
    /// switch error.code {
    /// case .timedOut: print("too slow")
    /// case .executorShutdown: print("the pool has shut down")
    /// default: print(error)
    /// }
    /// ```
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case timedOut
            case abandoned
            case executorShutdown
            case wouldDeadlock
            case noInputs
            case invalidArgument
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// The future did not complete before its deadline.
        public static let timedOut = Code(.timedOut)
        /// The promise was released without being completed.
        public static let abandoned = Code(.abandoned)
        /// The executor had shut down and did not accept the job.
        ///
        /// ```swift
        /// pool.shutdown()
        /// let late = Future.async(on: pool) { 1 }
        /// assert((late.error as? FutureError)?.code == .executorShutdown)
        /// ```
        public static let executorShutdown = Code(.executorShutdown)
        /// A blocking wait was made on a thread that the awaited future needs in order to complete.
        ///
        /// ```swift
        /// do {
        ///     _ = try future.get()
        /// } catch let error as FutureError where error.code == .wouldDeadlock {
        ///     print("waited on the thread that must complete the future")
        /// }
        /// ```
        public static let wouldDeadlock = Code(.wouldDeadlock)
        /// A combinator that needs at least one input was given none.
        ///
        /// ```swift
        /// let none: [Future<Int>] = []
        /// assert((firstCompleted(none).error as? FutureError)?.code == .noInputs)
        /// ```
        public static let noInputs = Code(.noInputs)
        /// An argument was out of range, for example a retry with no attempts.
        ///
        /// ```swift
        /// let never = retry(attempts: 0, on: pool) { fetch() }
        /// assert((never.error as? FutureError)?.code == .invalidArgument)
        /// ```
        public static let invalidArgument = Code(.invalidArgument)

        /// The code's name, for example `timedOut`.
        public var description: String {
            switch base {
            case .timedOut: "timedOut"
            case .abandoned: "abandoned"
            case .executorShutdown: "executorShutdown"
            case .wouldDeadlock: "wouldDeadlock"
            case .noInputs: "noInputs"
            case .invalidArgument: "invalidArgument"
            }
        }

        var explanation: String {
            switch base {
            case .timedOut: "the future did not complete in time"
            case .abandoned: "the promise was released without being completed"
            case .executorShutdown: "the executor has shut down and no longer accepts work"
            case .wouldDeadlock: "blocking here would deadlock: the awaited future needs this thread"
            case .noInputs: "the combinator was given no input futures"
            case .invalidArgument: "an argument was out of range"
            }
        }
    }
}

// MARK: - Messages shared by operators

extension FutureError {
    /// The `.timedOut` error of a wait or a timeout of `duration`; a zero or negative duration says
    /// that nothing was waited for.
    static func timedOut(after duration: Duration) -> FutureError {
        guard duration > .zero else {
            return FutureError(
                code: .timedOut,
                message: "the timeout was \(duration), so the future timed out at once without waiting"
            )
        }
        return FutureError(code: .timedOut, message: "the future did not complete within \(duration)")
    }
}
