// MARK: - Stages

extension Future {
    /// Registers a stage: directly when it runs inline, behind a hop to `executor` otherwise.
    @inlinable
    func addStage<T: Sendable, E: FutureExecutor>(_ next: Future<T>, on executor: E, _ entry: Callback<Value>) {
        if E.self == InlineExecutor.self {
            register(entry)
        } else {
            register(StageHop(entry, on: executor, failing: next).entry)
        }
    }
}

/// A stage bound to an executor other than `.inline`: its entry runs as a job on that executor.
///
/// If the executor refuses the job (it has shut down), the stage's future fails with
/// ``FutureError/Code/executorShutdown`` instead of hanging.
// Immutable after initialisation.
@usableFromInline
final class StageHop<Value: Sendable>: @unchecked Sendable {
    let stage: Callback<Value>
    let executor: any FutureExecutor
    let reject: @Sendable () -> Void

    @usableFromInline
    init<T>(_ stage: Callback<Value>, on executor: some FutureExecutor, failing next: Future<T>) {
        self.stage = stage
        self.executor = executor
        self.reject = {
            next.fail(
                raising: FutureError(code: .executorShutdown, message: "the executor of this stage has shut down"))
        }
    }

    @usableFromInline
    var entry: Callback<Value> {
        Callback(target: self) { outcome, source, entry in
            entry.target(as: StageHop.self).run(outcome, from: source)
        }
    }

    @usableFromInline
    func run(_ outcome: Outcome<Value>, from source: Future<Value>) {
        let stage = self.stage
        if !executor.tryExecute({ stage.run(outcome, from: source) }) {
            reject()
        }
    }
}
