import Dispatch
import Futures
import Testing

/// A thread-safe log of values.
// `values` is read and written only under `lock`.
private let patience = Duration.seconds(10)

@Suite("DispatchQueue as an executor")
struct DispatchQueueFutureExecutorTests {
    private static let key = DispatchSpecificKey<String>()

    private func makeQueue(_ label: String) -> DispatchQueue {
        let queue = DispatchQueue(label: label)
        queue.setSpecific(key: Self.key, value: label)
        return queue
    }

    @Test("execute runs jobs on the queue, in order on a serial queue")
    func executeRunsOnTheQueue() throws {
        let queue = makeQueue("execute")
        let seen = Recorder<String?>()
        let order = Recorder<Int>()
        let done = Promise<Void>()
        for index in 0..<50 {
            queue.execute {
                seen.append(DispatchQueue.getSpecific(key: Self.key))
                order.append(index)
            }
        }
        queue.execute { done.succeed(()) }
        try done.future.get(timeout: patience)
        #expect(order.values == Array(0..<50))
        #expect(seen.values.allSatisfy { $0 == "execute" })
    }

    @Test("a continuation on a queue runs its closure there")
    func continuationRunsOnTheQueue() throws {
        let queue = makeQueue("map")
        let label = Future.succeeded(1).map(on: queue) { _ in DispatchQueue.getSpecific(key: Self.key) }
        #expect(try label.get(timeout: patience) == "map")
    }

    @Test("Future.async on a queue runs the work there, pending then done")
    func asyncOnAQueue() throws {
        let queue = makeQueue("async")
        let future = Future.async(on: queue) { DispatchQueue.getSpecific(key: Self.key) }
        #expect(try future.get(timeout: patience) == "async")
        #expect(future.taskID != nil)
    }

    @Test("execute(after:) runs the job on the queue no earlier than the delay")
    func executeAfterWaitsForTheDelay() throws {
        let queue = makeQueue("after")
        let ran = Promise<(ContinuousClock.Instant, String?)>()
        let start = queue.now
        queue.execute(after: .milliseconds(30)) { ran.succeed((.now, DispatchQueue.getSpecific(key: Self.key))) }
        let (ranAt, label) = try ran.future.get(timeout: patience)
        #expect(ranAt - start >= .milliseconds(30))
        #expect(label == "after")
    }

    @Test("a zero or negative delay runs the job as soon as possible")
    func nonPositiveDelayRunsSoon() throws {
        let queue = makeQueue("soon")
        let ran = Recorder<Int>()
        let done = Promise<Void>()
        queue.execute(after: .zero) { ran.append(0) }
        queue.execute(after: .seconds(-1)) {
            ran.append(1)
            done.succeed(())
        }
        try done.future.get(timeout: patience)
        #expect(ran.values == [0, 1])
    }

    @Test("cancelling a scheduled job before its deadline keeps it from running")
    func cancelledScheduledJobNeverRuns() throws {
        let queue = makeQueue("cancel")
        let ran = Recorder<String>()
        let done = Promise<Void>()
        let job = queue.execute(after: .milliseconds(10)) { ran.append("cancelled") }
        job.cancel()
        queue.execute(after: .milliseconds(40)) {
            ran.append("kept")
            done.succeed(())
        }
        try done.future.get(timeout: patience)
        job.cancel()
        #expect(ran.values == ["kept"])
    }

    @Test("the queue's clock is the continuous clock")
    func nowIsTheContinuousClock() {
        let before = ContinuousClock.now
        let now = DispatchQueue.global().now
        #expect(now >= before)
        #expect(now <= ContinuousClock.now)
    }
}
