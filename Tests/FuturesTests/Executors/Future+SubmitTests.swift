import Dispatch
import Futures
import FuturesTesting
import Testing

/// A thread-safe log of values.
// `values` is read and written only under `lock`.
/// An executor that has shut down: it refuses every job.
private struct RefusingExecutor: FutureExecutor {
    func execute(_ job: @escaping @Sendable () -> Void) {}

    func tryExecute(_ job: @escaping @Sendable () -> Void) -> Bool { false }
}

private struct DiskFull: Error {}

private let patience = Duration.seconds(10)

@Suite("Future.async")
struct FutureSubmitTests {
    // MARK: - Status

    @Test("work runs on its executor: the future is pending until then, and done with the value")
    func runsOnItsExecutor() throws {
        let executor = TestExecutor()
        let future = Future.async(on: executor) { 6 * 7 }
        #expect(future.isPending)
        #expect(!future.isRunning && !future.isDone)
        #expect(executor.runUntilIdle() == 1)
        #expect(future.isDone && future.isSucceeded)
        #expect(try future.get() == 42)
    }

    @Test("the future is running only while its work executes")
    func runningOnlyWhileExecuting() throws {
        let executor = TestExecutor()
        let handle = Promise<Future<Int>>()
        let seen = Recorder<(pending: Bool, running: Bool, done: Bool)>()
        let future = Future.async(on: executor) { () -> Int in
            let own = try handle.future.get()
            seen.append((own.isPending, own.isRunning, own.isDone))
            return 1
        }
        handle.succeed(future)
        executor.runUntilIdle()
        let during = try #require(seen.values.first)
        #expect(!during.pending && during.running && !during.done)
        #expect(!future.isRunning && future.isDone)
    }

    @Test("on the inline executor the work runs at once, on the calling thread")
    func inlineRunsAtOnce() throws {
        let future = Future.async(on: .inline) { "now" }
        #expect(try future.get(timeout: .zero) == "now")
    }

    // MARK: - Failures

    @Test("a thrown error fails the future with a Future.async frame raised at the call")
    func thrownErrorIsRaisedAtTheCall() throws {
        let executor = TestExecutor()
        let future = Future<Int>.async(on: executor) { throw DiskFull() }
        let line = UInt(#line) - 1
        executor.runUntilIdle()
        #expect(future.isFailed)
        #expect(throws: DiskFull.self) { try future.get() }
        let frames = try #require(future.traceback?.frames)
        #expect(frames.count == 1)
        #expect(frames[0].operation == "Future.async")
        #expect(frames[0].role == .raised)
        #expect(frames[0].fileID == #fileID)
        #expect(frames[0].line == line)
    }

    @Test("an executor that refuses the job fails the future with executorShutdown")
    func refusedJobFailsWithExecutorShutdown() throws {
        let future = Future.async(on: RefusingExecutor()) { 1 }
        #expect(future.isFailed)
        #expect((future.error as? FutureError)?.code == .executorShutdown)
        #expect(future.traceback?.frames.map(\.operation) == ["Future.async"])
        #expect(future.duration?.running == .zero)
    }

    @Test("work that waits for its own future fails with wouldDeadlock instead of hanging")
    func waitingForItselfWouldDeadlock() throws {
        let executor = TestExecutor()
        let handle = Promise<Future<Int>>()
        let future = Future.async(on: executor) { try handle.future.get().get(timeout: patience) }
        handle.succeed(future)
        executor.runUntilIdle()
        #expect((future.error as? FutureError)?.code == .wouldDeadlock)
    }

    // MARK: - Identity and timing

    @Test("task ids are unique and increasing; futures not made by Future.async have none")
    func taskIDs() throws {
        let executor = TestExecutor()
        let first = Future.async(on: executor) { 1 }
        let second = Future.async(on: executor) { 2 }
        let firstID = try #require(first.taskID)
        let secondID = try #require(second.taskID)
        #expect(secondID > firstID)
        #expect(Promise<Int>().future.taskID == nil)
        #expect(first.map { $0 }.taskID == nil)
        executor.runUntilIdle()
    }

    @Test("duration is nil until done, then splits waiting from running")
    func durationSplitsPendingAndRunning() throws {
        let executor = TestExecutor()
        let future = Future.async(on: executor) { (0..<1_000).reduce(0, +) }
        #expect(future.duration == nil)
        executor.runUntilIdle()
        let duration = try #require(future.duration)
        #expect(duration.pending >= .zero)
        #expect(duration.running >= .zero)
        #expect(Future.succeeded(1).duration == nil)
    }

    // MARK: - Cancellation

    @Test("cancel before the work starts: returns true, the work never runs, the future is cancelled")
    func cancelBeforeStart() throws {
        let executor = TestExecutor()
        let ran = Recorder<Bool>()
        let future = Future.async(on: executor) { () -> Int in
            ran.append(true)
            return 1
        }
        #expect(future.cancel())
        let line = UInt(#line) - 1
        executor.runUntilIdle()
        #expect(ran.values.isEmpty)
        #expect(future.isCancelled && !future.isFailed)
        #expect(future.isCancelRequested)
        #expect(future.error is CancellationError)
        let frames = try #require(future.traceback?.frames)
        #expect(frames.map(\.operation) == ["cancel"])
        #expect(frames.first?.line == line)
        #expect(future.duration?.running == .zero)
        #expect(!future.cancel())
    }

    @Test("cancel while the work runs returns false, records the request, and the outcome stands")
    func cancelWhileRunning() throws {
        let executor = TestExecutor()
        let handle = Promise<Future<Int>>()
        let answers = Recorder<Bool>()
        let future = Future.async(on: executor) { () -> Int in
            answers.append(try handle.future.get().cancel())
            return 5
        }
        handle.succeed(future)
        executor.runUntilIdle()
        #expect(answers.values == [false])
        #expect(future.isCancelRequested)
        #expect(!future.isCancelled)
        #expect(try future.get() == 5)
    }

    @Test("running work sees the request through its CancellationRequest and can stop")
    func workObservesCancellationRequest() throws {
        let executor = TestExecutor()
        let handle = Promise<Future<Int>>()
        let seen = Recorder<Bool>()
        let future = Future.async(on: executor) { cancellation -> Int in
            seen.append(cancellation.isRequested)
            try handle.future.get().cancel()
            seen.append(cancellation.isRequested)
            try cancellation.checkCancellation()
            return 1
        }
        handle.succeed(future)
        executor.runUntilIdle()
        #expect(seen.values == [false, true])
        #expect(future.isCancelled && !future.isFailed)
        #expect(future.traceback?.frames.map(\.operation) == ["Future.async"])
    }

    @Test("cancel on a done future returns false and changes nothing")
    func cancelWhenDone() throws {
        let executor = TestExecutor()
        let future = Future.async(on: executor) { 3 }
        executor.runUntilIdle()
        #expect(!future.cancel())
        #expect(future.isCancelRequested)
        #expect(try future.get() == 3)
    }
}

@Suite("Future.async races")
struct FutureAsyncRaceTests {
    @Test("cancel racing the start of the work: the work runs exactly when cancel returned false")
    func cancelRacesStart() throws {
        let pool = ThreadPoolExecutor(threadCount: 2)
        let count = 2_000
        let ran = Recorder<Int>()
        var futures: [Future<Int>] = []
        var cancelled: [Bool] = []
        for index in 0..<count {
            let future = Future.async(on: pool) { () -> Int in
                ran.append(index)
                return index
            }
            futures.append(future)
            cancelled.append(index.isMultiple(of: 2) ? future.cancel() : false)
        }
        pool.shutdown()
        #expect(pool.awaitTermination(timeout: patience))
        let ranSet = Set(ran.values)
        #expect(ran.values.count == ranSet.count)
        for index in 0..<count {
            let future = futures[index]
            if cancelled[index] {
                #expect(future.isCancelled)
                #expect(!ranSet.contains(index))
            } else {
                #expect(try future.get() == index)
                #expect(ranSet.contains(index))
            }
        }
    }

    @Test("many threads cancelling one pending future: exactly one call wins")
    func concurrentCancelsHaveOneWinner() {
        let executor = TestExecutor()
        for _ in 0..<200 {
            let future = Future.async(on: executor) { 1 }
            let answers = Recorder<Bool>()
            DispatchQueue.concurrentPerform(iterations: 8) { _ in answers.append(future.cancel()) }
            #expect(answers.values.filter { $0 }.count == 1)
            #expect(future.isCancelled)
        }
        #expect(executor.runUntilIdle() == 200)
    }

    @Test("many threads submitting to one pool: every future completes with a distinct task id")
    func concurrentSubmissions() throws {
        let pool = ThreadPoolExecutor(threadCount: 2)
        defer { pool.shutdown() }
        let futures = Recorder<Future<Int>>()
        DispatchQueue.concurrentPerform(iterations: 4) { thread in
            for index in 0..<500 {
                futures.append(Future.async(on: pool) { thread * 1_000 + index })
            }
        }
        let all = futures.values
        #expect(all.count == 2_000)
        let values = try all.map { try $0.get(timeout: patience) }
        #expect(Set(values).count == 2_000)
        #expect(Set(all.compactMap(\.taskID)).count == 2_000)
    }

    @Test("cancel racing completion on another thread: the outcome is one or the other, consistently")
    func cancelRacesCompletion() throws {
        let pool = ThreadPoolExecutor(threadCount: 2)
        defer { pool.shutdown() }
        for index in 0..<1_000 {
            let future = Future.async(on: pool) { index }
            let didCancel = future.cancel()
            #expect(future.wait(timeout: patience))
            #expect(future.isCancelled == didCancel)
            #expect(future.isSucceeded == !didCancel)
            #expect(future.isCancelRequested)
        }
    }
}
