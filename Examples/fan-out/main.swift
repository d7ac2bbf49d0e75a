// Fan-out, fan-in: one search query goes to every shard of an index, and the answers are
// combined into one result with `combineFutures`.
//
// The shards run as jobs on a seeded `TestExecutor`, which runs ready jobs in a shuffled but
// reproducible order: the shards finish out of order, yet the combined answer follows input order,
// and when several shards fail, the failure reported is always the lowest-index one.

import Futures
import FuturesTesting

/// Why a shard could not answer.
struct ShardError: Error, CustomStringConvertible {
    let shard: Int
    let reason: String

    var description: String { "shard \(shard): \(reason)" }
}

/// Queries one shard of the index; the work runs as a job on `executor`.
func queryShard(
    _ shard: Int,
    for term: String,
    on executor: TestExecutor,
    failures: [Int: String]
) -> Future<[String]> {
    Future.succeeded(shard).map(on: executor) { shard in
        if let reason = failures[shard] {
            throw ShardError(shard: shard, reason: reason)
        }
        return ["\(term)#\(shard)a", "\(term)#\(shard)b"]
    }
}

/// Sends `term` to every shard and combines the answers, in shard order.
func search(
    _ term: String,
    shards: Int,
    on executor: TestExecutor,
    failFast: Bool = false,
    failures: [Int: String] = [:]
) -> (answers: [Future<[String]>], combined: Future<[String]>) {
    let answers = (0..<shards).map { queryShard($0, for: term, on: executor, failures: failures) }
    let combined = combineFutures(answers, failFast: failFast)
        .map { perShard in perShard.flatMap { $0 } }
    return (answers, combined)
}

/// Runs the executor one job at a time and reports which shard finished at each step.
func runReportingOrder(_ executor: TestExecutor, _ answers: [Future<[String]>], until combined: Future<[String]>) {
    var finished = Set<Int>()
    var step = 0
    var decided = false
    while executor.runNext() {
        step += 1
        for shard in answers.indices where answers[shard].isDone && !finished.contains(shard) {
            finished.insert(shard)
            let outcome = answers[shard].isSucceeded ? "succeeded" : "failed"
            let note = combined.isDone && !decided ? " -> combined result decided" : ""
            decided = combined.isDone
            print("  step \(step): shard \(shard) \(outcome)\(note)")
        }
    }
}

let executor = TestExecutor(seed: 2024)

print("1. Every shard answers")
let healthy = search("swift", shards: 5, on: executor)
runReportingOrder(executor, healthy.answers, until: healthy.combined)
print("  combined, in shard order:", try healthy.combined.get())

print()
print("2. Shards 1 and 3 fail, shard 3 first")
let failing = search("swift", shards: 5, on: executor, failures: [1: "index corrupt", 3: "timed out"])
runReportingOrder(executor, failing.answers, until: failing.combined)
do {
    _ = try failing.combined.get()
} catch {
    print("  search failed with the lowest-index failure:", error)
}
if let traceback = failing.combined.traceback {
    print(traceback)
}

print()
print("3. The same failures with failFast: decided once shard 1 failed and shard 0 succeeded")
let another = TestExecutor(seed: 25)
let fast = search("swift", shards: 5, on: another, failFast: true, failures: [1: "index corrupt", 3: "timed out"])
runReportingOrder(another, fast.answers, until: fast.combined)
print("  the same answer, sooner:", fast.combined.error.map { "\($0)" } ?? "none")
