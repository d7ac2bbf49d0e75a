// MARK: - Making completed futures

extension Future {
    /// Returns a future that has already succeeded with `value`.
    ///
    /// ```swift
    /// let cached: Future<Int> = .succeeded(42)
    /// ```
    ///
    /// - Parameters:
    ///   - value: The value.
    ///   - fileID: The file of the call site; defaults to the caller's.
    ///   - line: The line of the call site; defaults to the caller's.
    ///   - function: The function of the call site; defaults to the caller's.
    /// - Returns: A completed future.
    public static func succeeded(
        _ value: Value,
        fileID: StaticString = #fileID,
        line: UInt = #line,
        function: StaticString = #function
    ) -> Future {
        Future(site: CallSite(.succeeded, fileID, line, function), outcome: .success(value))
    }

    /// Returns a future that has already failed with `error`, raised at the call site.
    ///
    /// ```swift
    /// let missing: Future<Int> = .failed(LookupError.notFound)
    /// ```
    ///
    /// - Parameters:
    ///   - error: The error.
    ///   - fileID: The file of the call site; defaults to the caller's.
    ///   - line: The line of the call site; defaults to the caller's.
    ///   - function: The function of the call site; defaults to the caller's.
    /// - Returns: A completed future.
    public static func failed(
        _ error: any Error,
        fileID: StaticString = #fileID,
        line: UInt = #line,
        function: StaticString = #function
    ) -> Future {
        let site = CallSite(.failed, fileID, line, function)
        return Future(site: site, outcome: .raised(error, at: site))
    }
}

// MARK: - Status

extension Future {
    /// Whether the future has not completed and its work (if any) has not started.
    ///
    /// Exactly one of ``isPending``, ``isRunning`` and ``isDone`` is true.
    ///
    /// ```swift
    /// let promise = Promise<Int>()
    /// assert(promise.future.isPending)
    /// ```
    public var isPending: Bool {
        currentState & (FutureWord.done | FutureWord.running) == 0
    }

    /// Whether work submitted with `Future.async` is executing right now.
    ///
    /// ```swift
    /// let work = Future.async(on: pool) { try compute() }
    /// if work.isRunning { print("started, not finished yet") }
    /// ```
    public var isRunning: Bool {
        currentState & (FutureWord.done | FutureWord.running) == FutureWord.running
    }

    /// Whether the future has completed: succeeded, failed or been cancelled.
    ///
    /// ```swift
    /// let ready: Future<Int> = .succeeded(42)
    /// assert(ready.isDone)
    /// ```
    @inlinable
    public var isDone: Bool {
        currentState & FutureWord.done != 0
    }

    /// Whether the future completed with a value.
    ///
    /// ```swift
    /// let promise = Promise<Int>()
    /// promise.succeed(42)
    /// assert(promise.future.isSucceeded)
    /// ```
    @inlinable
    public var isSucceeded: Bool {
        if case .success = doneOutcome { return true }
        return false
    }

    /// Whether the future completed with an error other than `CancellationError`.
    ///
    /// ```swift
    /// let missing: Future<Int> = .failed(LookupError.notFound)
    /// assert(missing.isFailed && !missing.isCancelled)
    /// ```
    @inlinable
    public var isFailed: Bool {
        if case .failure(let failure) = doneOutcome { return !(failure.error is CancellationError) }
        return false
    }

    /// Whether the future completed with `CancellationError`.
    ///
    /// ```swift
    /// let promise = Promise<Int>()
    /// promise.future.cancel()
    /// assert(promise.future.isCancelled)
    /// ```
    public var isCancelled: Bool {
        if case .failure(let failure) = doneOutcome { return failure.error is CancellationError }
        return false
    }

    /// Whether ``cancel(fileID:line:function:)`` was called, even if too late to take effect.
    ///
    /// ```swift
    /// let work = Future.async(on: pool) { try compute() }
    /// work.cancel()
    /// assert(work.isCancelRequested)  // true even if the work had already started
    /// ```
    public var isCancelRequested: Bool {
        currentState & FutureWord.cancelRequested != 0
    }

    /// The outcome, or `nil` while the future is pending.
    ///
    /// ```swift
    /// switch future.result {
    /// case .success(let value)?: print("value:", value)
    /// case .failure(let error)?: print("error:", error)
    /// case nil: print("still pending")
    /// }
    /// ```
    @inlinable
    public var result: Result<Value, any Error>? {
        doneOutcome?.result
    }

    /// The error the future failed with (including `CancellationError`), or `nil`.
    ///
    /// ```swift
    /// if let error = future.error { print("failed:", error) }
    /// ```
    @inlinable
    public var error: (any Error)? {
        if case .failure(let failure) = doneOutcome { return failure.error }
        return nil
    }

    /// The failure's error context, or `nil` while pending and on success.
    ///
    /// ```swift
    /// if let traceback = future.traceback { print(traceback) }
    /// ```
    public var traceback: Traceback? {
        if case .failure(let failure) = doneOutcome { return Traceback(last: failure) }
        return nil
    }

    /// How long `Future.async` work waited and ran; `nil` until done and for other futures.
    ///
    /// ```swift
    /// let work = Future.async(on: pool) { try compute() }
    /// work.wait()
    /// if let duration = work.duration { print("queued \(duration.pending), ran \(duration.running)") }
    /// ```
    public var duration: FutureDuration? {
        guard isDone else { return nil }
        return work?.duration
    }

    /// The task id of work submitted with `Future.async`, unique in the process; `nil` otherwise.
    ///
    /// ```swift
    /// let work = Future.async(on: pool) { try compute() }
    /// if let id = work.taskID { print("submitted task \(id)") }
    /// ```
    public var taskID: UInt64? {
        work?.taskID
    }
}

// MARK: - Cancelling

extension Future {
    /// Cancels the future if it is still pending.
    ///
    /// A pending future fails at once with `CancellationError`, and its callbacks run; if it came
    /// from `Future.async` and the work has not started, the work never runs. Work that is already
    /// running is not interrupted: the call returns `false`, ``isCancelRequested`` becomes true and
    /// the work can check it, and the outcome stands. A done future is left as it is.
    ///
    /// Cancelling a derived future (the result of `map`, say) does not cancel the future it came
    /// from: other observers may share it.
    ///
    /// ```swift
    /// let slow = Future.async(on: pool) { try compute() }
    /// if slow.cancel() { print("never started") }
    /// ```
    ///
    /// - Parameters:
    ///   - fileID: The file of the call site; defaults to the caller's.
    ///   - line: The line of the call site; defaults to the caller's.
    ///   - function: The function of the call site; defaults to the caller's.
    /// - Returns: `true` if this call cancelled the future.
    @discardableResult
    public func cancel(fileID: StaticString = #fileID, line: UInt = #line, function: StaticString = #function) -> Bool {
        requestCancel(at: CallSite(.cancel, fileID, line, function))
    }
}
