import Futures
import FuturesTesting
import Testing

@Suite("asCompleted", .timeLimit(.minutes(1)))
struct AsCompletedTests {
    @available(macOS 15.0, iOS 18.0, tvOS 18.0, watchOS 11.0, *)
    @Test("inputs already done come first in input order, then the others in completion order")
    func doneFirstThenCompletionOrder() async throws {
        let promises = (0..<3).map { _ in Promise<Int>() }
        let inputs =
            [promises[0].future, Future.succeeded(10), promises[1].future, Future.succeeded(11)]
            + [promises[2].future]
        var iterator = asCompleted(inputs).makeAsyncIterator()
        for index in [2, 0, 1] { promises[index].succeed(index) }
        var values: [Int] = []
        while let done = try await iterator.next() {
            values.append(try await done.value)
        }
        #expect(values == [10, 11, 2, 0, 1])
        #expect(try await iterator.next() == nil, "the sequence stays finished")
    }

    @available(macOS 15.0, iOS 18.0, tvOS 18.0, watchOS 11.0, *)
    @Test("no input gives an empty sequence")
    func emptySequence() async {
        var count = 0
        for await _ in asCompleted([Future<Int>]()) { count += 1 }
        #expect(count == 0)
    }

    @available(macOS 15.0, iOS 18.0, tvOS 18.0, watchOS 11.0, *)
    @Test("the iterating task waits for completions made after it started")
    func waitsForLaterCompletions() async throws {
        let promises = (0..<3).map { _ in Promise<Int>() }
        var iterator = asCompleted(promises.map(\.future)).makeAsyncIterator()
        let iterating = Task {
            var values: [Int] = []
            while let done = try await iterator.next() {
                values.append((try? await done.value) ?? -1)
            }
            return values
        }
        promises[1].succeed(1)
        promises[2].fail(TestError(2))
        promises[0].succeed(0)
        #expect(try await iterating.value == [1, -1, 0])
    }

    @available(macOS 15.0, iOS 18.0, tvOS 18.0, watchOS 11.0, *)
    @Test("failed and cancelled inputs come out too, and the same future twice comes out twice")
    func failuresAndDuplicates() async {
        let cancelled = Promise<Int>()
        cancelled.future.cancel()
        let failed = Future<Int>.failed(TestError(1))
        var states: [String] = []
        for await done in asCompleted([cancelled.future, failed, failed]) {
            states.append(done.isCancelled ? "cancelled" : done.isFailed ? "failed" : "succeeded")
        }
        #expect(states == ["cancelled", "failed", "failed"])
    }

    @available(macOS 15.0, iOS 18.0, tvOS 18.0, watchOS 11.0, *)
    @Test(
        "inputs come out in the order they complete, for any order",
        arguments: [[0, 1, 2, 3, 4, 5], [5, 4, 3, 2, 1, 0], [3, 0, 5, 1, 4, 2], [1, 5, 2, 0, 3, 4]]
    )
    func anyCompletionOrder(order: [Int]) async throws {
        // Promises rather than a test executor: an executor made in an async test stays registered
        // on a thread that other tests use while this one is suspended.
        let promises = order.map { _ in Promise<Int>() }
        var iterator = asCompleted(promises.map(\.future)).makeAsyncIterator()
        for index in order { promises[index].succeed(index) }
        var values: [Int] = []
        while let done = try await iterator.next() { values.append(try await done.value) }
        #expect(values == order)
    }

    @available(macOS 15.0, iOS 18.0, tvOS 18.0, watchOS 11.0, *)
    @Test("each iterator makes its own pass over every input")
    func independentPasses() async throws {
        let sequence = asCompleted([Future.succeeded(1), Future.succeeded(2)])
        var first: [Int] = []
        for await done in sequence { first.append(try await done.value) }
        var second: [Int] = []
        for await done in sequence { second.append(try await done.value) }
        #expect(first == [1, 2] && second == [1, 2])
    }

    @available(macOS 15.0, iOS 18.0, tvOS 18.0, watchOS 11.0, *)
    @Test("cancelling the iterating task ends the sequence and cancels no input")
    func cancellationEndsSequence() async {
        let never = Promise<Int>()
        let sequence = asCompleted([Future.succeeded(0), never.future])
        let iterating = Task {
            var taken = 0
            for await _ in sequence { taken += 1 }
            return taken
        }
        iterating.cancel()
        let taken = await iterating.value
        #expect(taken <= 1)
        #expect(never.future.isPending)
        never.succeed(1)
    }
}
