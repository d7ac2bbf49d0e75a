/// A continuation stage: a user closure, the executor it runs on, and the future it completes.
///
/// Each kind of stage is its own small struct (the next future and the closure, with an empty
/// executor, take 24 bytes), so that it fits in the inline buffer of the callback existential and
/// registering a stage allocates only the stage's future.
protocol Stage: FutureCallback {
    associatedtype Output: Sendable
    associatedtype E: FutureExecutor

    var next: Future<Output> { get }
    var executor: E { get }

    /// Runs the stage's closure and completes `next`; called on the stage's executor.
    func perform(_ outcome: Outcome<Input>, from source: Future<Input>)
}

extension Stage {
    @inline(__always)
    func run(_ outcome: Outcome<Input>, from source: Future<Input>) {
        if E.self == InlineExecutor.self {
            perform(outcome, from: source)
        } else if !executor.tryExecute({ perform(outcome, from: source) }) {
            next.fail(
                raising: FutureError(code: .executorShutdown, message: "the executor of this stage has shut down"))
        }
    }

    /// Passes a failure on with this stage's frame, or runs `body` on a value.
    @inline(__always)
    func onSuccess(_ outcome: Outcome<Input>, _ body: (Input) throws -> Void) {
        switch outcome {
        case .success(let value):
            do {
                try body(value)
            } catch {
                next.fail(raising: error)
            }
        case .failure(let failure):
            next.complete(.passedThrough(failure, at: next.site))
        }
    }

    /// Runs `body` on a failure's error, or passes a value on unchanged.
    @inline(__always)
    func onFailure(_ outcome: Outcome<Input>, _ body: (TracebackNode) throws -> Void) where Input == Output {
        switch outcome {
        case .success:
            next.complete(outcome)
        case .failure(let failure):
            do {
                try body(failure)
            } catch {
                next.fail(raising: error)
            }
        }
    }
}

struct MapStage<Input: Sendable, Output: Sendable, E: FutureExecutor>: Stage {
    let next: Future<Output>
    let transform: @Sendable (Input) throws -> Output
    let executor: E

    @inline(__always)
    func perform(_ outcome: Outcome<Input>, from source: Future<Input>) {
        onSuccess(outcome) { next.complete(.success(try transform($0))) }
    }
}

struct FlatMapStage<Input: Sendable, Output: Sendable, E: FutureExecutor>: Stage {
    let next: Future<Output>
    let transform: @Sendable (Input) throws -> Future<Output>
    let executor: E

    func perform(_ outcome: Outcome<Input>, from source: Future<Input>) {
        onSuccess(outcome) { next.adopt(try transform($0)) }
    }
}

struct ContinueWithStage<Input: Sendable, Output: Sendable, E: FutureExecutor>: Stage {
    let next: Future<Output>
    let continuation: @Sendable (Future<Input>) throws -> Output
    let executor: E

    func perform(_ outcome: Outcome<Input>, from source: Future<Input>) {
        do {
            next.complete(.success(try continuation(source)))
        } catch {
            next.fail(raising: error)
        }
    }
}

struct ContinueWithFutureStage<Input: Sendable, Output: Sendable, E: FutureExecutor>: Stage {
    let next: Future<Output>
    let continuation: @Sendable (Future<Input>) throws -> Future<Output>
    let executor: E

    func perform(_ outcome: Outcome<Input>, from source: Future<Input>) {
        do {
            next.adopt(try continuation(source))
        } catch {
            next.fail(raising: error)
        }
    }
}

struct RecoverStage<Input: Sendable, E: FutureExecutor>: Stage {
    let next: Future<Input>
    let transform: @Sendable (any Error) throws -> Input
    let executor: E

    func perform(_ outcome: Outcome<Input>, from source: Future<Input>) {
        onFailure(outcome) { next.complete(.success(try transform($0.error))) }
    }
}

struct FlatRecoverStage<Input: Sendable, E: FutureExecutor>: Stage {
    let next: Future<Input>
    let transform: @Sendable (any Error) throws -> Future<Input>
    let executor: E

    func perform(_ outcome: Outcome<Input>, from source: Future<Input>) {
        onFailure(outcome) { next.adopt(try transform($0.error)) }
    }
}

struct MapErrorStage<Input: Sendable, E: FutureExecutor>: Stage {
    let next: Future<Input>
    let transform: @Sendable (any Error) -> any Error
    let executor: E

    func perform(_ outcome: Outcome<Input>, from source: Future<Input>) {
        onFailure(outcome) { failure in
            next.complete(
                .failure(
                    TracebackNode(error: transform(failure.error), site: next.site, role: .raised, parent: failure)))
        }
    }
}

struct AlwaysStage<Input: Sendable, E: FutureExecutor>: Stage {
    let next: Future<Input>
    let body: @Sendable (Result<Input, any Error>) -> Void
    let executor: E

    func perform(_ outcome: Outcome<Input>, from source: Future<Input>) {
        body(outcome.result)
        next.complete(passingThrough: outcome)
    }
}
