/// A stage that turns the outcome of a `Future<Input>` into the outcome of its `next` future:
/// `map`, `flatMap` and both `continueWith`s.
///
/// Registering it allocates nothing beyond `next`: the struct (the future, the user's closure and
/// an empty executor) fits in the inline buffer of the callback existential.
struct TransformStage<Input: Sendable, Output: Sendable, E: FutureExecutor>: FutureCallback {
    enum Body {
        case map(@Sendable (Input) throws -> Output)
        case flatMap(@Sendable (Input) throws -> Future<Output>)
        case continueWith(@Sendable (Future<Input>) throws -> Output)
        case continueWithFuture(@Sendable (Future<Input>) throws -> Future<Output>)
    }

    let next: Future<Output>
    let body: Body
    let executor: E

    @inline(__always)
    func run(_ outcome: Outcome<Input>, from source: Future<Input>) {
        if E.self == InlineExecutor.self {
            perform(outcome, from: source)
        } else if !executor.tryExecute({ perform(outcome, from: source) }) {
            next.fail(raising: FutureError(code: .executorShutdown, message: "the executor of this stage has shut down"))
        }
    }

    @inline(__always)
    func perform(_ outcome: Outcome<Input>, from source: Future<Input>) {
        switch body {
        case .map(let transform):
            switch outcome {
            case .success(let value):
                do {
                    next.complete(.success(try transform(value)))
                } catch {
                    next.fail(raising: error)
                }
            case .failure(let error, let traceback):
                next.complete(.passedThrough(error, traceback, at: next.site))
            }
        case .flatMap(let transform):
            switch outcome {
            case .success(let value):
                do {
                    next.adopt(try transform(value))
                } catch {
                    next.fail(raising: error)
                }
            case .failure(let error, let traceback):
                next.complete(.passedThrough(error, traceback, at: next.site))
            }
        case .continueWith(let transform):
            do {
                next.complete(.success(try transform(source)))
            } catch {
                next.fail(raising: error)
            }
        case .continueWithFuture(let transform):
            do {
                next.adopt(try transform(source))
            } catch {
                next.fail(raising: error)
            }
        }
    }
}

/// A stage whose output has the input's type: `recover`, `flatRecover`, `mapError` and `always`.
struct PassthroughStage<Value: Sendable, E: FutureExecutor>: FutureCallback {
    enum Body {
        case recover(@Sendable (any Error) throws -> Value)
        case flatRecover(@Sendable (any Error) throws -> Future<Value>)
        case mapError(@Sendable (any Error) -> any Error)
        case always(@Sendable (Result<Value, any Error>) -> Void)
    }

    let next: Future<Value>
    let body: Body
    let executor: E

    @inline(__always)
    func run(_ outcome: Outcome<Value>, from source: Future<Value>) {
        if E.self == InlineExecutor.self {
            perform(outcome)
        } else if !executor.tryExecute({ perform(outcome) }) {
            next.fail(raising: FutureError(code: .executorShutdown, message: "the executor of this stage has shut down"))
        }
    }

    @inline(__always)
    func perform(_ outcome: Outcome<Value>) {
        switch (body, outcome) {
        case (.always(let observe), _):
            observe(outcome.result)
            next.complete(passingThrough: outcome)
        case (_, .success):
            next.complete(outcome)
        case (.recover(let transform), .failure(let error, _)):
            do {
                next.complete(.success(try transform(error)))
            } catch {
                next.fail(raising: error)
            }
        case (.flatRecover(let transform), .failure(let error, _)):
            do {
                next.adopt(try transform(error))
            } catch {
                next.fail(raising: error)
            }
        case (.mapError(let transform), .failure(let error, let traceback)):
            next.complete(.failure(transform(error), TracebackNode(site: next.site, role: .raised, parent: traceback)))
        }
    }
}
