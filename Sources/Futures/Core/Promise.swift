/// The write side of a future: complete it once with a value or an error.
///
/// ```swift
/// func fetchUser(id: Int) -> Future<User> {
///     let promise = Promise<User>()
///     client.get("/users/\(id)") { response in
///         switch response {
///         case .ok(let user): promise.succeed(user)
///         case .error(let error): promise.fail(error)
///         }
///     }
///     return promise.future
/// }
/// ```
///
/// The first completion wins; later ones return `false` and change nothing. The completing
/// methods are non-mutating and thread-safe, so a promise can be captured by `@Sendable` closures
/// and completed from any thread.
///
/// A promise records where it was created. Released without being completed, it fails its future
/// with ``FutureError/Code/abandoned``, whose traceback's first frame is that creation site, so a
/// forgotten promise never leaves a waiter hanging silently.
public final class Promise<Value: Sendable>: Sendable {
    /// The future that this promise completes.
    ///
    /// ```swift
    /// let promise = Promise<String>()
    /// promise.future.onSuccess { print($0) }
    /// promise.succeed("done")  // prints "done"
    /// ```
    public let future: Future<Value>

    /// Creates a pending promise and records the call site for its traceback frames.
    ///
    /// ```swift
    /// let promise = Promise<Int>()
    /// let answer = promise.future.map { $0 * 2 }
    /// promise.succeed(21)  // answer succeeds with 42
    /// ```
    ///
    /// - Parameters:
    ///   - fileID: The file of the call site; defaults to the caller's.
    ///   - line: The line of the call site; defaults to the caller's.
    ///   - function: The function of the call site; defaults to the caller's.
    @inlinable
    public init(fileID: StaticString = #fileID, line: UInt = #line, function: StaticString = #function) {
        future = Future(site: CallSite(.promise, fileID, line, function))
    }

    deinit {
        LockStripes.assertNoStripeHeld()
        guard future.currentState & (FutureWord.adopting | FutureWord.done) == 0 else { return }
        let site = future.site
        future.fail(
            raising: FutureError(
                code: .abandoned,
                message: "the promise created at \(site.fileID):\(site.line) in \(site.function) "
                    + "was released without being completed"
            )
        )
    }

    /// Completes the future with a value.
    ///
    /// ```swift
    /// promise.succeed(42)
    /// ```
    ///
    /// - Parameter value: The value.
    /// - Returns: `true` if this call completed the future; `false` if it was already complete.
    @inlinable
    @discardableResult
    public func succeed(_ value: Value) -> Bool {
        future.complete(.success(value))
    }

    /// Fails the future with an error; its traceback starts at the promise's creation site.
    ///
    /// ```swift
    /// promise.fail(LookupError.notFound)
    /// ```
    ///
    /// - Parameter error: The error, passed on unchanged to every observer.
    /// - Returns: `true` if this call completed the future; `false` if it was already complete.
    @inlinable
    @discardableResult
    public func fail(_ error: any Error) -> Bool {
        future.fail(raising: error)
    }

    /// Completes the future with a result.
    ///
    /// ```swift
    /// promise.complete(Result { try parse(data) })
    /// ```
    ///
    /// - Parameter result: The value or error.
    /// - Returns: `true` if this call completed the future; `false` if it was already complete.
    @inlinable
    @discardableResult
    public func complete(_ result: Result<Value, any Error>) -> Bool {
        switch result {
        case .success(let value): future.complete(.success(value))
        case .failure(let error): future.fail(raising: error)
        }
    }

    /// Completes the future with the outcome of `other`, when `other` completes.
    ///
    /// A failure keeps `other`'s traceback and adds the promise's frame. Adoption is stack-safe
    /// at any length: a million promises each adopting the next complete in a loop. A promise
    /// that adopted a future is not abandoned when it is released.
    ///
    /// ```swift
    /// promise.complete(with: cache.lookUp(key))
    /// ```
    ///
    /// - Parameter other: The future whose outcome to adopt; not this promise's own future.
    public func complete(with other: Future<Value>) {
        guard future.markAdopting() else { return }
        future.adopt(other)
    }
}
