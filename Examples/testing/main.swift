// Deterministic testing of a transformation with TestExecutor and virtual time: the pipeline
// takes its executor as a parameter, the "test" drives it step by step and checks each state,
// then drives it to its answer with run(until:advancingTime:). Nothing sleeps; the output is the
// same on every run.

import Futures
import FuturesTesting

// MARK: - The code under test

struct BadReading: Error, CustomStringConvertible {
    var text: String
    var description: String { "not a number: \(text)" }
}

/// Parses a sensor reading, lets the sensor settle for 50 ms, then calibrates it.
///
/// Gives up after one second. Production passes a queue or a pool; tests pass a TestExecutor.
func calibrated(_ reading: Future<String>, on executor: some SchedulingExecutor) -> Future<Double> {
    reading
        .map(on: executor) { text in
            guard let value = Double(text) else { throw BadReading(text: text) }
            return value
        }
        .delay(by: .milliseconds(50), on: executor)
        .map(on: executor) { $0 * 1.5 }
        .timeout(after: .seconds(1), on: executor)
}

// MARK: - A tiny assertion helper

func check(_ claim: String, _ condition: Bool) {
    print("\(condition ? "ok  " : "FAIL") \(claim)")
}

// MARK: - The "tests"

print("== The happy path, one step at a time ==")
do {
    let executor = TestExecutor()
    let sensor = Promise<String>()
    let result = calibrated(sensor.future, on: executor)
    check("the result is pending before anything runs", result.isPending)
    check("only the timeout's timer is waiting", executor.pendingCount == 1)
    sensor.succeed("20")
    check("the reading queues the parse step", executor.pendingCount == 2)
    check("runNext runs the parse step", executor.runNext())
    check("runUntilIdle finds nothing ready and never moves time", executor.runUntilIdle() == 0)
    executor.advance(by: .milliseconds(49))
    check("49 ms later the sensor is still settling", result.isPending)
    executor.advance(by: .milliseconds(1))
    check("at 50 ms the calibrated value is 30.0", result.result.map { try? $0.get() } == 30.0)
    check("the timeout's timer was cancelled", executor.pendingCount == 0)
}

print("\n== A bad reading ==")
do {
    let executor = TestExecutor()
    let result = calibrated(.succeeded("twenty"), on: executor)
    executor.advance(by: .milliseconds(50))
    check("the result fails with the parse error", result.error is BadReading)
    let frames = result.traceback?.frames ?? []
    print("     frames: \(frames.map { "\($0.operation) (\($0.role == .raised ? "raised" : "passed"))" })")
    check("the parse step raised it", frames.first?.operation == "map" && frames.first?.role == .raised)
}

print("\n== A sensor that never answers ==")
do {
    let executor = TestExecutor()
    let sensor = Promise<String>()
    let result = calibrated(sensor.future, on: executor)
    executor.advance(by: .milliseconds(999))
    check("at 999 ms the result is still pending", result.isPending)
    executor.advance(by: .milliseconds(1))
    check("at 1 s it times out", (result.error as? FutureError)?.code == .timedOut)
    check("the timeout cancelled its own stage, not the sensor", !sensor.future.isCancelRequested)
    check("a late reading is accepted and changes nothing", sensor.succeed("20") && result.isFailed)
}

print("\n== Driving to the answer, as a test would ==")
do {
    let executor = TestExecutor()
    let sensor = Promise<String>()
    let result = calibrated(sensor.future, on: executor)
    do {
        _ = try executor.run(until: result)
    } catch let error as FutureError {
        print("     \(error.message)")
        check("with no reading, the driver reports at once that the executor went idle", error.code == .wouldDeadlock)
    }
    sensor.succeed("20")
    let value = try executor.run(until: result, advancingTime: true)
    check("advancing time, run(until:) returns \(value) at \(executor.elapsed)", value == 30.0)
}

print("\n== The answer does not depend on scheduling ==")
var answers: Set<String> = []
for seed in UInt64(1)...20 {
    let executor = TestExecutor(seed: seed)
    let pair = calibrated(.succeeded("2"), on: executor).and(calibrated(.succeeded("4"), on: executor))
    do {
        let (first, second) = try executor.run(until: pair, advancingTime: true)
        answers.insert("\(first) and \(second)")
    } catch {
        answers.insert("error: \(error)")
    }
}
check("20 seeds, one answer: \(answers.sorted())", answers.count == 1)
