/// A queue that hands out futures in the order they complete.
///
/// Put futures in, in any state; take them out, blocking, as they complete. A future that is
/// already done when it is put in is ready at once, behind those already ready. Each future put in
/// is taken at most once (put the same future twice to take it twice).
///
/// ```swift
/// let queue = CompletionQueue<Report>()
/// queue.put(contentsOf: regions.map { region in build(region) })
/// while let done = queue.get(timeout: .seconds(30)) {
///     print(try done.get())
/// }
/// ```
///
/// Failed and cancelled futures come out like the others, with their errors and tracebacks
/// untouched. Taking never cancels anything, and no closure runs: a future is queued on the thread
/// that completes it. Blocking takes follow the deadlock rules of ``Future/get(timeout:)``: called on a
/// thread that the futures need in order to complete, they run the pending work themselves, or
/// return `nil` at once rather than hang. Any thread may put and take.
public final class CompletionQueue<T: Sendable>: Sendable {
    private let buffer = CompletionBuffer<T>()

    /// Creates an empty queue.
    ///
    /// ```swift
    /// let queue = CompletionQueue<Int>()
    /// ```
    public init() {}

    /// Removes the queue's callbacks from the futures that are still pending, so that releasing a
    /// queue early keeps nothing alive on them.
    deinit {
        buffer.close()
    }

    // MARK: - Putting

    /// Adds a future; it becomes ready to take when it completes, or at once if it is done.
    ///
    /// ```swift
    /// queue.put(Future.async(on: pool) { try render(page) })
    /// ```
    ///
    /// - Parameter future: The future to hand out once it completes.
    public func put(_ future: Future<T>) {
        buffer.put(future)
    }

    /// Adds futures in order; those already done become ready at once, in that order.
    ///
    /// ```swift
    /// queue.put(contentsOf: urls.map { fetch($0) })
    /// ```
    ///
    /// - Parameter futures: The futures to hand out as they complete.
    public func put(contentsOf futures: some Sequence<Future<T>>) {
        for future in futures {
            buffer.put(future)
        }
    }

    // MARK: - Taking

    /// Takes one completed future, waiting for one to complete if none is ready.
    ///
    /// Returns `nil` at once when nothing is left to take: no future was put in, or every future
    /// put in was taken. Otherwise returns the future that completed first among those not taken,
    /// waiting until one completes or the timeout passes.
    ///
    /// ```swift
    /// if let done = queue.get(timeout: .zero) { handle(done) }  // poll
    /// ```
    ///
    /// - Parameter timeout: How long to wait at most; `nil` waits as long as it takes. Zero or a
    ///   negative duration only polls: it takes a future that is ready, or returns `nil`.
    /// - Returns: A completed future, or `nil` if nothing is left, the timeout passed, or waiting
    ///   could never end.
    @available(*, noasync, message: "Iterate asCompleted(_:) with for await in async code.")
    public func get(timeout: Duration? = nil) -> Future<T>? {
        buffer.take(until: timeout.map { ContinuousClock.now + $0 })
    }

    /// Takes completed futures in completion order until none is left or the timeout passes.
    ///
    /// One deadline covers the whole call. With zero or a negative timeout, takes every future
    /// that is ready and waits for none.
    ///
    /// ```swift
    /// for done in queue.getAll(timeout: .seconds(10)) {
    ///     print(done.result!)
    /// }
    /// ```
    ///
    /// - Parameter timeout: How long to wait in all, at most; `nil` waits until every future put
    ///   in has been taken.
    /// - Returns: The futures taken, in the order they completed (those that were already done when
    ///   put in, in the order they were put in).
    @available(*, noasync, message: "Iterate asCompleted(_:) with for await in async code.")
    public func getAll(timeout: Duration? = nil) -> [Future<T>] {
        let deadline = timeout.map { ContinuousClock.now + $0 }
        var taken: [Future<T>] = []
        while let future = buffer.take(until: deadline) {
            taken.append(future)
        }
        return taken
    }
}
