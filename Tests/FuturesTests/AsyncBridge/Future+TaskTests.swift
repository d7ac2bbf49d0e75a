import Futures
import FuturesTesting
import Testing

private struct Offline: Error {}

@Suite("Future and Swift tasks", .timeLimit(.minutes(1)))
struct FutureTaskTests {
    // MARK: - Future { try await ... }

    @Test("an async operation's value completes the future")
    func operationValueCompletesTheFuture() async throws {
        let future = Future { () async throws -> Int in 6 * 7 }
        #expect(try await future.value == 42)
        #expect(future.isSucceeded)
        #expect(future.taskID == nil && future.duration == nil)
    }

    @Test("an async operation's error fails the future with a frame raised at the call")
    func operationErrorFailsTheFuture() async throws {
        let future = Future<Int> { throw Offline() }
        let line = UInt(#line) - 1
        await #expect(throws: Offline.self) { try await future.value }
        let frames = try #require(future.traceback?.frames)
        #expect(frames.map(\.operation) == ["Future.init(priority:_:)"])
        #expect(frames[0].role == .raised)
        #expect(frames[0].line == line)
        #expect(frames[0].fileID == #fileID)
    }

    @Test("the future stays pending, not running, while the operation runs")
    func pendingWhileTheOperationRuns() async throws {
        let started = Promise<Void>()
        let gate = Promise<Int>()
        let future = Future {
            started.succeed(())
            return try await gate.future.value + 1
        }
        try await started.future.value
        #expect(future.isPending)
        #expect(!future.isRunning)
        gate.succeed(1)
        #expect(try await future.value == 2)
    }

    @Test("cancel completes the future with CancellationError at once and cancels the task")
    func cancelCancelsTheTask() async throws {
        let started = Promise<Void>()
        let sawCancellation = Promise<Bool>()
        let gate = Promise<Int>()
        let future = Future { () async throws -> Int in
            started.succeed(())
            do {
                return try await gate.future.value
            } catch {
                sawCancellation.succeed(Task.isCancelled && error is CancellationError)
                throw error
            }
        }
        try await started.future.value
        #expect(future.cancel())
        let line = UInt(#line) - 1
        #expect(future.isCancelled)
        #expect(future.traceback?.frames.first?.line == line)
        #expect(try await sawCancellation.future.value)
        #expect(!future.cancel())
        gate.succeed(0)
    }

    @Test("a value returned after cancel is ignored")
    func valueAfterCancelIsIgnored() async throws {
        let gate = Promise<Int>()
        let finished = Promise<Void>()
        let future = Future { () async -> Int in
            let value = (try? await gate.future.value) ?? -1
            finished.succeed(())
            return value
        }
        future.cancel()
        gate.succeed(5)
        try await finished.future.value
        #expect(future.isCancelled)
        await #expect(throws: CancellationError.self) { try await future.value }
    }

    // MARK: - Future(task)

    @Test("a throwing task's value and error complete the future")
    func wrapsAThrowingTask() async throws {
        let succeeding = Task<Int, any Error> { 7 }
        #expect(try await Future(succeeding).value == 7)
        let failing = Task<Int, any Error> { throw Offline() }
        let future = Future(failing)
        await #expect(throws: Offline.self) { try await future.value }
        #expect(future.traceback?.frames.map(\.operation) == ["Future.init(_:)"])
    }

    @Test("a non-throwing task's value completes the future")
    func wrapsANonThrowingTask() async throws {
        let task = Task<String, Never> { "done" }
        #expect(try await Future(task).value == "done")
    }

    @Test("cancelling the future made from a task cancels the task")
    func cancelCancelsAWrappedTask() async throws {
        let gate = Promise<Int>()
        let task = Task<Int, any Error> { try await gate.future.value }
        let future = Future(task)
        #expect(future.cancel())
        #expect(future.isCancelled)
        let result = await task.result
        #expect(throws: CancellationError.self) { try result.get() }
        gate.succeed(1)
    }

    @Test("a task cancelled by its owner gives a cancelled future")
    func ownerCancelledTaskGivesCancelledFuture() async throws {
        let gate = Promise<Int>()
        let task = Task<Int, any Error> { try await gate.future.value }
        let future = Future(task)
        task.cancel()
        await #expect(throws: CancellationError.self) { try await future.value }
        #expect(future.isCancelled)
        gate.succeed(1)
    }

    // MARK: - Awaiting from a cancelled task

    @Test("cancelling a task that awaits a future stops the wait but not the future")
    func cancellingTheWaiterLeavesTheFuture() async throws {
        let promise = Promise<Int>()
        let waiting = Promise<Void>()
        let waiter = Task<Int, any Error> {
            waiting.succeed(())
            return try await promise.future.value
        }
        try await waiting.future.value
        waiter.cancel()
        let result = await waiter.result
        #expect(throws: CancellationError.self) { try result.get() }
        #expect(promise.future.isPending)
        #expect(!promise.future.isCancelRequested)
        promise.succeed(9)
        #expect(try await promise.future.value == 9)
    }
}

@Suite("Future and Swift tasks: races", .timeLimit(.minutes(1)))
struct FutureTaskRaceTests {
    @Test("cancel racing the operation's completion: the outcome is one or the other, consistently")
    func cancelRacesCompletion() async throws {
        for index in 0..<500 {
            let future = Future { () async -> Int in index }
            let didCancel = future.cancel()
            let result = await outcome { try await future.value }
            #expect(future.isCancelled == didCancel)
            if didCancel {
                #expect(throws: CancellationError.self) { try result.get() }
            } else {
                #expect(try result.get() == index)
            }
        }
    }

    @Test("many tasks await one future; cancelling half of them leaves the others their value")
    func manyWaitersSomeCancelled() async throws {
        let promise = Promise<Int>()
        let waiters = (0..<50).map { _ in Task { try await promise.future.value } }
        for (index, waiter) in waiters.enumerated() where index.isMultiple(of: 2) {
            waiter.cancel()
        }
        promise.succeed(4)
        for (index, waiter) in waiters.enumerated() {
            let result = await waiter.result
            if index.isMultiple(of: 2) {
                // Cancelled before or after the value arrived: either answer is allowed.
                #expect((try? result.get()) == nil || (try? result.get()) == 4)
            } else {
                #expect(try result.get() == 4)
            }
        }
        #expect(try await promise.future.value == 4)
    }
}

private func outcome<T>(of body: () async throws -> T) async -> Result<T, any Error> {
    do {
        return .success(try await body())
    } catch {
        return .failure(error)
    }
}
