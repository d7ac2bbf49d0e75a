// MARK: - Folding

extension Future {
    /// Returns a future that folds the values of `futures` into this future's value, one input at
    /// a time, in input order, with a function that returns a future.
    ///
    /// Once this future has succeeded, `combine` runs on `executor` with the accumulated value and
    /// the value of the first input, as soon as that input has succeeded; the value of the future it
    /// returns is the new accumulated value, which meets the second input, and so on. The result
    /// succeeds with the last accumulated value (this future's value when there is no input).
    ///
    /// ```swift
    /// let total = Future.succeeded(0).fold(pages.map { fetchSize($0) }) { sum, size in
    ///     Future.succeeded(sum + size)
    /// }
    /// ```
    ///
    /// The failure is deterministic, as with `combineFutures(_:failFast: true)`: it is the first
    /// failure in input order, taking this future, then for each input the input and the step
    /// that meets it, and it is reported as soon as everything before it has succeeded. A failure
    /// of this future gains a `fold` frame; a failed input's traceback gains a `fold` frame whose
    /// `inputIndex` and `inputCount` name it; an error thrown by `combine` is raised at a `fold`
    /// frame naming the input; a failure of the future `combine` returned gains a `fold` frame
    /// naming the input. Later inputs are left alone. Cancelling the result stops the fold before
    /// its next step and cancels none of the inputs. SwiftNIO's `fold(_:with:)`.
    ///
    /// - Parameters:
    ///   - futures: The inputs, folded in this order.
    ///   - executor: Where `combine` runs; `.inline` by default.
    ///   - fileID: The file of the call site; defaults to the caller's.
    ///   - line: The line of the call site; defaults to the caller's.
    ///   - function: The function of the call site; defaults to the caller's.
    ///   - combine: Combines the accumulated value with an input's value into a future of the next
    ///     accumulated value, or throws.
    /// - Returns: A future of the folded value.
    public func fold<Other: Sendable>(
        _ futures: some Sequence<Future<Other>>,
        on executor: some FutureExecutor = .inline,
        fileID: StaticString = #fileID,
        line: UInt = #line,
        function: StaticString = #function,
        with combine: @escaping @Sendable (Value, Other) throws -> Future<Value>
    ) -> Future<Value> {
        let site = CallSite(.fold, fileID, line, function)
        let inputs = Array(futures)
        let result = Future(site: site)
        register(
            ClosureCallback { outcome in
                switch outcome {
                case .success(let initial):
                    SequentialFold(initial, inputs, into: result, on: executor) { accumulated, input in
                        try combine(accumulated, input)
                    }.advance(from: 0)
                case .failure(let failure):
                    result.complete(.passedThrough(failure, at: site))
                }
            })
        return result
    }

    /// Returns a future of the values of `futures` combined into `initialResult`, one input at a
    /// time, in input order.
    ///
    /// `nextPartialResult` runs on `executor` with the accumulated value and the value of each
    /// input in turn, as soon as that input has succeeded; the result succeeds with the last
    /// accumulated value (`initialResult` when there is no input).
    ///
    /// ```swift
    /// let total = Future.reduce(0, sizes) { $0 + $1 }
    /// ```
    ///
    /// The failure is deterministic, as with `combineFutures(_:failFast: true)`: the failure of the
    /// lowest-index failed input, reported as soon as every input before it has succeeded, with a
    /// `Future.reduce` frame whose `inputIndex` and `inputCount` name it. An error thrown by
    /// `nextPartialResult` is raised at a `Future.reduce` frame naming the input, and later inputs are
    /// left alone. Cancelling the result stops before the next step and cancels none of the
    /// inputs. SwiftNIO's `EventLoopFuture.reduce(_:_:on:_:)`.
    ///
    /// - Parameters:
    ///   - initialResult: The value to start from.
    ///   - futures: The inputs, combined in this order.
    ///   - executor: Where `nextPartialResult` runs; `.inline` by default.
    ///   - fileID: The file of the call site; defaults to the caller's.
    ///   - line: The line of the call site; defaults to the caller's.
    ///   - function: The function of the call site; defaults to the caller's.
    ///   - nextPartialResult: Combines the accumulated value with an input's value, or throws.
    /// - Returns: A future of the combined value.
    public static func reduce<Input: Sendable>(
        _ initialResult: Value,
        _ futures: some Sequence<Future<Input>>,
        on executor: some FutureExecutor = .inline,
        fileID: StaticString = #fileID,
        line: UInt = #line,
        function: StaticString = #function,
        _ nextPartialResult: @escaping @Sendable (Value, Input) throws -> Value
    ) -> Future<Value> {
        let result = Future(site: CallSite(.reduce, fileID, line, function))
        SequentialFold(initialResult, Array(futures), into: result, on: executor) { accumulated, input in
            accumulated = try nextPartialResult(accumulated, input)
            return nil
        }.advance(from: 0)
        return result
    }

    /// Returns a future of the values of `futures` folded into a mutable `initialResult`, one input
    /// at a time, in input order.
    ///
    /// `updateAccumulatingResult` runs on `executor` with the accumulated value, which it updates
    /// in place, and the value of each input in turn, as soon as that input has succeeded. The
    /// accumulated value is not copied between steps, so building a collection costs linear time.
    ///
    /// ```swift
    /// let byID = Future.reduce(into: [Int: User](), users) { table, user in
    ///     table[user.id] = user
    /// }
    /// ```
    ///
    /// Failures, frames and cancellation are as for ``reduce(_:_:on:fileID:line:function:_:)``.
    /// SwiftNIO's `EventLoopFuture.reduce(into:_:on:_:)`.
    ///
    /// - Parameters:
    ///   - initialResult: The value to start from.
    ///   - futures: The inputs, folded in this order.
    ///   - executor: Where `updateAccumulatingResult` runs; `.inline` by default.
    ///   - fileID: The file of the call site; defaults to the caller's.
    ///   - line: The line of the call site; defaults to the caller's.
    ///   - function: The function of the call site; defaults to the caller's.
    ///   - updateAccumulatingResult: Updates the accumulated value with an input's value, or throws.
    /// - Returns: A future of the accumulated value.
    public static func reduce<Input: Sendable>(
        into initialResult: Value,
        _ futures: some Sequence<Future<Input>>,
        on executor: some FutureExecutor = .inline,
        fileID: StaticString = #fileID,
        line: UInt = #line,
        function: StaticString = #function,
        _ updateAccumulatingResult: @escaping @Sendable (inout Value, Input) throws -> Void
    ) -> Future<Value> {
        let result = Future(site: CallSite(.reduce, fileID, line, function))
        SequentialFold(initialResult, Array(futures), into: result, on: executor) { accumulated, input in
            try updateAccumulatingResult(&accumulated, input)
            return nil
        }.advance(from: 0)
        return result
    }
}

// MARK: - Machinery

/// Folds inputs into an accumulated value one at a time, in input order.
///
/// Step `i` starts only after input `i` succeeded and step `i - 1` finished; a failure or a
/// cancelled result ends the fold. A step either updates the accumulated value in place and
/// returns `nil`, or returns a future whose value becomes the accumulated value. Each step is
/// registered from inside the previous one's callback, so the trampoline queues it instead of
/// nesting: folds of any length run with a bounded stack.
// `accumulated` is read and written only by the one step that runs at a time: each step is
// started by the completion of the previous step's input or returned future (through that
// future's lock) or by an executor hand-off, which order it after the previous step.
final class SequentialFold<Accumulated: Sendable, Input: Sendable>: @unchecked Sendable {
    typealias Step = @Sendable (inout Accumulated, Input) throws -> Future<Accumulated>?

    private var accumulated: Accumulated
    private let inputs: [Future<Input>]
    private let result: Future<Accumulated>
    private let executor: any FutureExecutor
    private let step: Step

    init(
        _ initial: Accumulated,
        _ inputs: [Future<Input>],
        into result: Future<Accumulated>,
        on executor: some FutureExecutor,
        step: @escaping Step
    ) {
        self.accumulated = initial
        self.inputs = inputs
        self.result = result
        self.executor = executor
        self.step = step
    }

    /// Waits for input `index`, or completes the result after the last one.
    func advance(from index: Int) {
        guard !result.isDone else { return }
        guard index < inputs.count else {
            result.complete(.success(accumulated))
            return
        }
        inputs[index].register(
            ClosureCallback { [self] outcome in
                switch outcome {
                case .success(let value):
                    if !executor.tryExecute({ self.run(index, value) }) {
                        result.fail(
                            raising: FutureError(
                                code: .executorShutdown, message: "the executor of this fold has shut down"))
                    }
                case .failure(let failure):
                    result.complete(
                        .passedThrough(failure, at: result.site, inputIndex: index, inputCount: inputs.count))
                }
            })
    }

    /// Runs the step for input `index` with its value.
    private func run(_ index: Int, _ value: Input) {
        guard !result.isDone else { return }
        let next: Future<Accumulated>?
        do {
            next = try step(&accumulated, value)
        } catch {
            result.complete(
                .failure(
                    TracebackNode(
                        error: error, site: result.site, role: .raised, inputIndex: index,
                        inputCount: inputs.count, parent: nil)))
            return
        }
        guard let next else {
            advance(from: index + 1)
            return
        }
        next.register(
            ClosureCallback { [self] outcome in
                switch outcome {
                case .success(let value):
                    accumulated = value
                    advance(from: index + 1)
                case .failure(let failure):
                    result.complete(
                        .passedThrough(failure, at: result.site, inputIndex: index, inputCount: inputs.count))
                }
            })
    }
}
