// MARK: - The sequential reference model

/// Computes, in plain sequential Swift, what every node of a pipeline should end with, from the
/// documented rules alone: no futures, no executor, no threads.
struct ReferenceModel {
    enum Answer {
        case expected([Expected])
        /// The race at this node has a winner that scheduling decides: two inputs complete at the
        /// same virtual instant.
        case ambiguous(Int)
    }

    private let nodes: [PipelineNode]
    private let cancels: [Int: Int]
    private var timeoutsOver: [[Int]]
    private var cancelTimes: [Int: Int] = [:]

    init(_ pipeline: Pipeline) {
        nodes = pipeline.nodes
        cancels = pipeline.cancels
        timeoutsOver = Array(repeating: [], count: nodes.count)
        for (index, node) in nodes.enumerated() {
            if case .timeout(let source, _) = node { timeoutsOver[source].append(index) }
        }
    }

    mutating func evaluate() -> Answer {
        var expected: [Expected] = []
        for index in nodes.indices {
            guard var node = natural(index, expected) else { return .ambiguous(index) }
            let cancelled = cancelTime(index)
            if cancelled < node.time {
                node = Expected(
                    time: cancelled,
                    result: .failure(.cancelled, [ModelFrame("cancel", raised: true)]),
                    doneAtBuild: false,
                    cancelledHere: true
                )
            }
            expected.append(node)
        }
        return .expected(expected)
    }

    /// When the node is cancelled if it is still pending then: by an explicit `cancel()`, or by a
    /// timeout over it whose timer fires (the timeout itself still pending at its deadline).
    private mutating func cancelTime(_ index: Int) -> Int {
        if let known = cancelTimes[index] { return known }
        var time = cancels[index] ?? .max
        for timeout in timeoutsOver[index] {
            guard case .timeout(_, let deadline) = nodes[timeout] else { continue }
            if cancelTime(timeout) > deadline { time = min(time, deadline) }
        }
        cancelTimes[index] = time
        return time
    }

    /// The node's outcome if nothing cancels it; `nil` for an ambiguous race.
    private func natural(_ index: Int, _ done: [Expected]) -> Expected? {
        switch nodes[index] {
        case .promise(let ending, let time):
            switch ending {
            case .value(let value): return Expected(time: time, result: .value(value), doneAtBuild: false)
            case .failure(let id): return Expected(time: time, result: raised(.test(id), "Promise"), doneAtBuild: false)
            case .abandoned: return Expected(time: time, result: raised(.abandoned, "Promise"), doneAtBuild: false)
            }
        case .immediate(let value, let failure):
            let result = value.map(ModelResult.value) ?? raised(.test(failure ?? 0), "Future.failed")
            return Expected(time: 0, result: result, doneAtBuild: true)
        case .map(let input, let add, let onExecutor):
            return stage(done[input], "map", onExecutor) { .value($0 &+ add) }
        case .mapThrowing(let input, let id, let onExecutor):
            return stage(done[input], "map", onExecutor) { _ in raised(.test(id), "map") }
        case .flatMap(let input, let inner, let onExecutor):
            return flatMap(done[input], inner, onExecutor)
        case .recover(let input, let onExecutor):
            var node = done[input]
            if case .failure(let error, _) = node.result { node.result = .value(error.recovered) }
            node.doneAtBuild = node.doneAtBuild && !onExecutor
            return node
        case .mapError(let input, let onExecutor):
            var node = done[input]
            if case .failure(let error, let frames) = node.result {
                node.result = .failure(error.mapped, frames + [ModelFrame("mapError", raised: true)])
            }
            node.doneAtBuild = node.doneAtBuild && !onExecutor
            return node
        case .always(let input, let onExecutor):
            return stage(done[input], "always", onExecutor) { .value($0) }
        case .delay(let input, let duration):
            let node = done[input]
            return Expected(
                time: node.time + duration, result: node.result.passing(ModelFrame("delay")), doneAtBuild: false)
        case .timeout(let input, let deadline):
            let node = done[input]
            guard node.time < deadline else {
                return Expected(time: deadline, result: raised(.timedOut, "timeout"), doneAtBuild: false)
            }
            return Expected(
                time: node.time, result: node.result.passing(ModelFrame("timeout")), doneAtBuild: node.doneAtBuild)
        case .combine(let inputs, let failFast):
            return combine(inputs.map { done[$0] }, failFast: failFast)
        case .combineResults(let inputs):
            let nodes = inputs.map { done[$0] }
            return Expected(
                time: nodes.map(\.time).max()!,
                result: .value(nodes.reduce(0) { $0 &* 7 &+ $1.result.code }),
                doneAtBuild: nodes.allSatisfy(\.doneAtBuild)
            )
        case .and(let first, let second):
            return and(done[first], done[second])
        case .firstCompleted(let inputs):
            return race(inputs, inputs.map { done[$0] }, onlySuccesses: false)
        case .firstSucceeded(let inputs):
            return race(inputs, inputs.map { done[$0] }, onlySuccesses: true)
        }
    }

    private func raised(_ error: ModelError, _ operation: String) -> ModelResult {
        .failure(error, [ModelFrame(operation, raised: true)])
    }

    /// A closure stage that runs on a value and passes a failure through with its frame.
    private func stage(_ input: Expected, _ operation: String, _ onExecutor: Bool, _ body: (Int) -> ModelResult)
        -> Expected
    {
        let result: ModelResult =
            switch input.result {
            case .value(let value): body(value)
            case .failure: input.result.passing(ModelFrame(operation))
            }
        return Expected(time: input.time, result: result, doneAtBuild: input.doneAtBuild && !onExecutor)
    }

    private func flatMap(_ input: Expected, _ inner: PipelineNode.Inner, _ onExecutor: Bool) -> Expected {
        let through = ModelFrame("flatMap")
        guard case .value(let value) = input.result else {
            return Expected(
                time: input.time, result: input.result.passing(through), doneAtBuild: input.doneAtBuild && !onExecutor)
        }
        let immediate = input.doneAtBuild && !onExecutor
        switch inner {
        case .value(let add):
            return Expected(time: input.time, result: .value(value &+ add), doneAtBuild: immediate)
        case .failure(let id):
            return Expected(
                time: input.time, result: raised(.test(id), "Future.failed").passing(through), doneAtBuild: immediate)
        case .delayedValue(let add, let after):
            return Expected(time: input.time + after, result: .value(value &+ add), doneAtBuild: false)
        case .delayedFailure(let id, let after):
            return Expected(
                time: input.time + after, result: raised(.test(id), "Promise").passing(through), doneAtBuild: false)
        }
    }

    /// `combineFutures` (all values, or the lowest-index failure) and the inline map to the sum.
    private func combine(_ inputs: [Expected], failFast: Bool) -> Expected {
        let sum = ModelFrame("map")
        guard let failed = inputs.firstIndex(where: { $0.result.isFailure }) else {
            let values = inputs.map { if case .value(let value) = $0.result { value } else { 0 } }
            return Expected(
                time: inputs.map(\.time).max()!,
                result: .value(values.reduce(0, &+)),
                doneAtBuild: inputs.allSatisfy(\.doneAtBuild)
            )
        }
        let deciding = failFast ? Array(inputs[...failed]) : inputs
        let frame = ModelFrame("combineFutures", inputIndex: failed, inputCount: inputs.count)
        return Expected(
            time: deciding.map(\.time).max()!,
            result: inputs[failed].result.passing(frame).passing(sum),
            doneAtBuild: deciding.allSatisfy(\.doneAtBuild)
        )
    }

    /// `and` (the first input's failure first) and the inline map that folds the pair.
    private func and(_ first: Expected, _ second: Expected) -> Expected {
        let fold = ModelFrame("map")
        if first.result.isFailure {
            let frame = ModelFrame("and", inputIndex: 0, inputCount: 2)
            return Expected(
                time: first.time, result: first.result.passing(frame).passing(fold), doneAtBuild: first.doneAtBuild)
        }
        let time = max(first.time, second.time)
        let doneAtBuild = first.doneAtBuild && second.doneAtBuild
        switch (first.result, second.result) {
        case (.value(let a), .value(let b)):
            return Expected(time: time, result: .value(a &* 31 &+ b), doneAtBuild: doneAtBuild)
        default:
            let frame = ModelFrame("and", inputIndex: 1, inputCount: 2)
            return Expected(time: time, result: second.result.passing(frame).passing(fold), doneAtBuild: doneAtBuild)
        }
    }

    /// `firstCompleted`, or `firstSucceeded` (`onlySuccesses`); `nil` when the winner is a tie.
    private func race(_ nodes: [Int], _ inputs: [Expected], onlySuccesses: Bool) -> Expected? {
        let operation = onlySuccesses ? "firstSucceeded" : "firstCompleted"
        let eligible = inputs.indices.filter { !onlySuccesses || !inputs[$0].result.isFailure }
        guard !eligible.isEmpty else {
            // Every input failed: the lowest-index failure, once the last input is done.
            let frame = ModelFrame(operation, inputIndex: 0, inputCount: inputs.count)
            return Expected(
                time: inputs.map(\.time).max()!,
                result: inputs[0].result.passing(frame),
                doneAtBuild: inputs.allSatisfy(\.doneAtBuild)
            )
        }
        let winner: Int
        if let done = eligible.first(where: { inputs[$0].doneAtBuild }) {
            winner = done  // inputs done when the race is built decide at once, lowest index first
        } else {
            let earliest = eligible.map { inputs[$0].time }.min()!
            let first = eligible.filter { inputs[$0].time == earliest }
            guard Set(first.map { nodes[$0] }).count == 1 else { return nil }
            winner = first[0]
        }
        let frame = ModelFrame(operation, inputIndex: winner, inputCount: inputs.count)
        return Expected(
            time: inputs[winner].time, result: inputs[winner].result.passing(frame),
            doneAtBuild: inputs[winner].doneAtBuild)
    }
}
