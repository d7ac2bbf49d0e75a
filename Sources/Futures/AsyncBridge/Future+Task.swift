// MARK: - Running async operations

extension Future {
    /// Runs `operation` in a new `Task` and returns a future of its result.
    ///
    /// The future is pending while the task runs (it is never ``isRunning``: only `Future.async`
    /// work is) and completes with the operation's value or error. Callbacks registered with
    /// `.inline` then run on the thread that finished the task, one of Swift's cooperative
    /// threads: keep them short and non-blocking, or give them an executor.
    ///
    /// ```swift
    /// let profile = Future { try await api.fetchProfile(id: 42) }
    /// profile.onSuccess { print("hello,", $0.name) }
    /// ```
    ///
    /// An error thrown by `operation` fails the future with a traceback whose first frame is this
    /// call, marked as raised.
    ///
    /// ``cancel(fileID:line:function:)`` completes the future with `CancellationError` at once and
    /// cancels the task, which sees it through `Task.isCancelled` and `Task.checkCancellation()`;
    /// whatever the task returns afterwards is ignored. See <doc:Cancellation> for the
    /// rules of the whole library.
    ///
    /// - Parameters:
    ///   - priority: The task's priority; `nil` inherits the current one, as `Task.init` does.
    ///   - fileID: The file of the call site; defaults to the caller's.
    ///   - line: The line of the call site; defaults to the caller's.
    ///   - function: The function of the call site; defaults to the caller's.
    ///   - operation: The asynchronous work; its return value or thrown error completes the future.
    public convenience init(
        priority: TaskPriority? = nil,
        fileID: StaticString = #fileID,
        line: UInt = #line,
        function: StaticString = #function,
        _ operation: @escaping @Sendable () async throws -> Value
    ) {
        self.init(site: CallSite(.task, fileID, line, function))
        let task = Task(priority: priority) { [self] in
            do {
                complete(.success(try await operation()))
            } catch {
                fail(raising: error)
            }
        }
        cancelOnCancellation(task)
    }

    /// Returns a future of an existing task's result; cancelling the future cancels the task.
    ///
    /// The future is pending until the task finishes, then completes with its value or error (a
    /// task cancelled by its owner that throws `CancellationError` gives a cancelled future).
    /// ``cancel(fileID:line:function:)`` completes the future with `CancellationError` at once
    /// and cancels the task. See <doc:Cancellation>.
    ///
    /// ```swift
    /// let download = Task { try await session.data(from: url).0 }
    /// let size = Future(download).map { $0.count }
    /// ```
    ///
    /// - Parameters:
    ///   - task: The task to observe.
    ///   - fileID: The file of the call site; defaults to the caller's.
    ///   - line: The line of the call site; defaults to the caller's.
    ///   - function: The function of the call site; defaults to the caller's.
    public convenience init(
        _ task: Task<Value, any Error>,
        fileID: StaticString = #fileID,
        line: UInt = #line,
        function: StaticString = #function
    ) {
        self.init(site: CallSite(.wrapTask, fileID, line, function))
        Task { [self] in
            do {
                complete(.success(try await task.value))
            } catch {
                fail(raising: error)
            }
        }
        cancelOnCancellation(task)
    }

    /// Returns a future of an existing non-throwing task's value; cancelling the future cancels
    /// the task.
    ///
    /// The future is pending until the task finishes, then succeeds with its value.
    /// ``cancel(fileID:line:function:)`` completes the future with `CancellationError` at once and
    /// cancels the task. See <doc:Cancellation>.
    ///
    /// ```swift
    /// let count = Task { await library.countBooks() }
    /// Future(count).onSuccess { print($0, "books") }
    /// ```
    ///
    /// - Parameters:
    ///   - task: The task to observe.
    ///   - fileID: The file of the call site; defaults to the caller's.
    ///   - line: The line of the call site; defaults to the caller's.
    ///   - function: The function of the call site; defaults to the caller's.
    public convenience init(
        _ task: Task<Value, Never>,
        fileID: StaticString = #fileID,
        line: UInt = #line,
        function: StaticString = #function
    ) {
        self.init(site: CallSite(.wrapTask, fileID, line, function))
        Task { [self] in
            complete(.success(await task.value))
        }
        cancelOnCancellation(task)
    }

    /// Cancels `task` once this future completes with `CancellationError`.
    private func cancelOnCancellation<Success, Failure>(_ task: Task<Success, Failure>) {
        register(
            ClosureCallback { outcome in
                if case .failure(let failure) = outcome, failure.error is CancellationError {
                    task.cancel()
                }
            })
    }
}
