import Dispatch

// MARK: - Mapping a collection on an executor

extension FutureExecutor {
    /// Runs `transform` on this executor for every element, and returns a future of the results in
    /// input order.
    ///
    /// Python's `Executor.map` and asyncpal's `map`. Each element is submitted as its own job, as
    /// with `Future.async(on:)`, so a pool runs them in parallel. The result succeeds with the
    /// results in input order, whatever order the jobs finished in. It fails with the failure of
    /// the **lowest-index** failed job, as soon as every job before it has succeeded (the rule of
    /// `combineFutures(_:failFast: true)`); its traceback has the job's `Future.async` frame and a
    /// `FutureExecutor.map` frame whose `inputIndex` and `inputCount` name the element.
    ///
    /// ```swift
    /// let pool = ThreadPoolExecutor(threadCount: 4)
    /// let sizes = pool.map(paths) { path in try fileSize(at: path) }
    /// print(try sizes.get())  // in the order of `paths`
    /// ```
    ///
    /// When the result fails or is cancelled, every job that has not started is cancelled and never
    /// runs; jobs already running finish, and their results are dropped. An executor that has shut
    /// down fails the jobs with ``FutureError/Code/executorShutdown``. No elements give a future
    /// that has already succeeded with `[]`.
    ///
    /// - Parameters:
    ///   - elements: The inputs, one job each.
    ///   - fileID: The file of the call site; defaults to the caller's.
    ///   - line: The line of the call site; defaults to the caller's.
    ///   - function: The function of the call site; defaults to the caller's.
    ///   - transform: Turns an element into a result, or throws; runs on this executor.
    /// - Returns: A future of the results, in input order.
    public func map<Element: Sendable, T: Sendable>(
        _ elements: some Sequence<Element>,
        fileID: StaticString = #fileID,
        line: UInt = #line,
        function: StaticString = #function,
        _ transform: @escaping @Sendable (Element) throws -> T
    ) -> Future<[T]> {
        mapJobs(elements, CallSite(.executorMap, fileID, line, function), fileID, line, function, transform)
    }

    /// Submits one job per element and combines them; cancels the jobs left when the result fails.
    fileprivate func mapJobs<Element: Sendable, T: Sendable>(
        _ elements: some Sequence<Element>,
        _ site: CallSite,
        _ fileID: StaticString,
        _ line: UInt,
        _ function: StaticString,
        _ transform: @escaping @Sendable (Element) throws -> T
    ) -> Future<[T]> {
        let jobs = elements.map { element in
            Future.async(on: self, fileID: fileID, line: line, function: function) { try transform(element) }
        }
        var combiner = Combiner<T, [T]>(site: site, count: jobs.count, failFast: true, assemble: { $0 })
        for job in jobs {
            guard combiner.add(job, KeepValue<T>.self) else { break }
        }
        let result = combiner.finish()
        result.register(
            ClosureCallback { outcome in
                if case .failure = outcome {
                    for job in jobs { job.cancel() }
                }
            })
        return result
    }
}

extension FutureExecutor {
    /// Runs `transform` on this executor for every element, and returns a future of the results in
    /// input order, failing with ``FutureError/Code/timedOut`` if they are not all done in time.
    ///
    /// The same as ``FutureExecutor/map(_:fileID:line:function:_:)``, with Python's `timeout`: when
    /// `timeout` passes on `timer`'s clock before the result is decided, the result fails with
    /// ``FutureError/Code/timedOut``, raised at its `FutureExecutor.map` frame, and every job that
    /// has not started is cancelled. The timer runs on `timer`, a global dispatch queue by default,
    /// so that it fires even when every thread of this executor is busy with the jobs; pass the
    /// `TestExecutor` in tests to drive it with virtual time. If `timer` refuses the timeout because
    /// it has shut down, the result fails at once with ``FutureError/Code/executorShutdown``.
    ///
    /// ```swift
    /// let thumbnails = pool.map(images, timeout: .seconds(10)) { try render($0) }
    /// ```
    ///
    /// - Parameters:
    ///   - elements: The inputs, one job each.
    ///   - timeout: How long the whole map may take, from this call.
    ///   - timer: Where the timeout is measured and fires; a global dispatch queue by default.
    ///   - fileID: The file of the call site; defaults to the caller's.
    ///   - line: The line of the call site; defaults to the caller's.
    ///   - function: The function of the call site; defaults to the caller's.
    ///   - transform: Turns an element into a result, or throws; runs on this executor.
    /// - Returns: A future of the results, in input order.
    public func map<Element: Sendable, T: Sendable>(
        _ elements: some Sequence<Element>,
        timeout: Duration,
        timer: some SchedulingExecutor = DispatchQueue.global(),
        fileID: StaticString = #fileID,
        line: UInt = #line,
        function: StaticString = #function,
        _ transform: @escaping @Sendable (Element) throws -> T
    ) -> Future<[T]> {
        let site = CallSite(.executorMap, fileID, line, function)
        let result = mapJobs(elements, site, fileID, line, function, transform)
        guard !result.isDone else { return result }
        let job = timer.tryExecute(after: timeout) {
            result.complete(
                .raised(FutureError(code: .timedOut, message: "the map did not complete within \(timeout)"), at: site))
        }
        guard let job else {
            result.complete(
                .raised(
                    FutureError(code: .executorShutdown, message: "the timer executor of this map has shut down"),
                    at: site))
            return result
        }
        result.register(ClosureCallback { _ in job.cancel() })
        return result
    }
}
