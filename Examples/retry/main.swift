// Retry with backoff and a timeout, on a TestExecutor: the waits pass in virtual time, so this
// program finishes at once and prints the same output on every run.

import Futures
import FuturesTesting

struct ServiceUnavailable: Error, CustomStringConvertible {
    var description: String { "the service is unavailable" }
}

/// Counts calls; only the thread driving the test executor touches it.
final class Calls: @unchecked Sendable {
    private(set) var count = 0

    func next() -> Int {
        count += 1
        return count
    }
}

/// Milliseconds of virtual time since `start`.
func elapsed(since start: ContinuousClock.Instant, on executor: TestExecutor) -> String {
    "\(Int((executor.now - start) / .milliseconds(1))) ms"
}

// MARK: - A flaky service that answers on the third attempt

print("== Retry with exponential backoff ==")
do {
    let executor = TestExecutor()
    let start = executor.now
    let calls = Calls()
    let answer = retry(attempts: 5, backoff: .exponential(initial: .milliseconds(100)), on: executor) {
        let attempt = calls.next()
        print("attempt \(attempt) at t = \(elapsed(since: start, on: executor))")
        return attempt < 3 ? .failed(ServiceUnavailable()) : .succeeded("pong")
    }
    executor.advance(by: .seconds(10))
    print("result: \(try answer.get()) after \(calls.count) attempts")
}

// MARK: - A service that never answers

print("\n== Every attempt fails ==")
do {
    let executor = TestExecutor()
    let start = executor.now
    let answer = retry(attempts: 3, backoff: .constant(.milliseconds(250)), on: executor) {
        print("attempt at t = \(elapsed(since: start, on: executor))")
        return Future<String>.failed(ServiceUnavailable())
    }
    executor.advance(by: .seconds(10))
    print("error: \(answer.error!)")
    print(answer.traceback!)
}

// MARK: - A slow service under a deadline

print("\n== A timeout stops the retries ==")
do {
    let executor = TestExecutor()
    let start = executor.now
    let answer = retry(attempts: 10, backoff: .constant(.seconds(1)), on: executor) {
        print("attempt at t = \(elapsed(since: start, on: executor)), fails 2 s later")
        return Future.sleep(for: .seconds(2), on: executor).flatMap { Future<String>.failed(ServiceUnavailable()) }
    }
    .timeout(after: .milliseconds(4500), on: executor)
    executor.advance(by: .seconds(60))
    let error = answer.error as! FutureError
    print("timed out: \(error.code == .timedOut), jobs left on the executor: \(executor.pendingCount)")
    print(answer.traceback!)
}

// MARK: - Jitter you can reproduce

print("\n== Seeded jitter ==")
let backoff: Backoff = .jittered(
    .exponential(initial: .milliseconds(100), maximum: .seconds(1)),
    fraction: 0.5,
    seed: 2024
)
for failure in 1...6 {
    print("wait after failure \(failure): \(Int(backoff.delay(afterFailure: failure) / .milliseconds(1))) ms")
}
