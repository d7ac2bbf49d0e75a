import Futures
import FuturesTesting
import Testing

/// Random pipelines (chains of map, flatMap, recover, mapError and always, combinations, races,
/// cancels, delays and timeouts on virtual time) built from a seed, run on a `TestExecutor` that
/// reorders ready jobs with the same seed, and compared node by node with a sequential reference
/// model of the same pipeline: the outcome, the traceback's frames, the virtual time of completion,
/// whether the node was already done when built, and what `always` saw.
@Suite("Model-based: random pipelines against a sequential reference model")
struct ModelTests {
    /// 1,000 seeds, or 10,000 with `FUTURES_FULL=1`.
    static let seeds = fullSize ? 10_000 : 1_000
    static let chunks = 10

    @Test("random pipelines end exactly as the reference model says", arguments: 0..<ModelTests.chunks)
    func pipelinesMatchTheModel(chunk: Int) {
        var mismatches: [String] = []
        var coverage = ModelCoverage()
        let perChunk = Self.seeds / Self.chunks
        for seed in UInt64(chunk * perChunk)..<UInt64((chunk + 1) * perChunk) {
            var generator = PipelineGenerator(seed: seed)
            var pipeline = generator.make()
            let expected = Self.expectations(for: &pipeline)
            let run = PipelineRun(pipeline, seed: seed)
            coverage.tally(pipeline, expected)
            for problem in run.mismatches(against: expected, pipeline) {
                mismatches.append("seed \(seed), \(problem)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches; first: \(mismatches.prefix(5))")
        #expect(coverage.missing.isEmpty, "never generated: \(coverage.missing)")
    }

    @Test("a pipeline's outcome does not depend on the executor's seed")
    func outcomeIndependentOfSchedule() {
        for seed in UInt64(0)..<50 {
            var generator = PipelineGenerator(seed: seed)
            var pipeline = generator.make()
            _ = Self.expectations(for: &pipeline)
            let answers = Set((UInt64(0)..<8).map { PipelineRun(pipeline, seed: seed &* 31 &+ $0).signature })
            #expect(answers.count == 1, "seed \(seed): \(answers.count) different outcomes")
        }
    }

    /// The model's expectations; a race whose winner scheduling would decide becomes a combine.
    static func expectations(for pipeline: inout Pipeline) -> [Expected] {
        while true {
            var model = ReferenceModel(pipeline)
            switch model.evaluate() {
            case .expected(let expected):
                return expected
            case .ambiguous(let index):
                switch pipeline.nodes[index] {
                case .firstCompleted(let inputs), .firstSucceeded(let inputs):
                    pipeline.nodes[index] = .combine(inputs, failFast: false)
                default:
                    preconditionFailure("Only races can be ambiguous, not \(pipeline.nodes[index]).")
                }
            }
        }
    }
}

// MARK: - Coverage

/// Which kinds of node and of ending the generated pipelines contained.
struct ModelCoverage {
    private var seen: Set<String> = []

    mutating func tally(_ pipeline: Pipeline, _ expected: [Expected]) {
        for node in pipeline.nodes {
            seen.insert(String(describing: node).prefix { $0 != "(" }.description)
        }
        for node in expected {
            switch node.result {
            case .value: seen.insert("value")
            case .failure(let error, _): seen.insert(String(describing: error).prefix { $0 != "(" }.description)
            }
            seen.insert(node.doneAtBuild ? "done at build" : "completed later")
        }
        if !pipeline.cancels.isEmpty { seen.insert("cancel") }
    }

    var missing: [String] {
        let all = [
            "promise", "immediate", "map", "mapThrowing", "flatMap", "recover", "mapError", "always", "delay",
            "timeout", "combine", "combineResults", "and", "firstCompleted", "firstSucceeded", "cancel", "value",
            "test", "cancelled", "timedOut", "abandoned", "done at build", "completed later",
        ]
        return all.filter { !seen.contains($0) }
    }
}
