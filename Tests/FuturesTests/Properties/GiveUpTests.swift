import Dispatch
import Foundation
import Testing

@testable import Futures

/// How many give-ups of each kind a test makes: 100,000 in CI's full-size run, fewer by default.
private let giveUps = fullSize ? 100_000 : 2_000

/// A payload whose release the tests observe.
private final class Payload: Sendable {}

@Suite("Give-ups: a consumer that stops caring leaves nothing behind", .timeLimit(.minutes(2)))
struct GiveUpTests {
    @Test("removing a callback whose closure held the last reference to a promise does not deadlock")
    func removalReleasesAPromiseOutsideTheLock() {
        let finished = withoutHanging(limit: .seconds(20)) {
            var outcomes: [Bool] = []
            for _ in 0..<1_000 {
                let source = Promise<Int>()
                var dropped: Promise<Int>? = Promise<Int>()
                // Abandoning `dropped` runs this callback, which touches `source`: the same stripe
                // as the removal below.
                dropped?.future.onComplete { _ in _ = source.future.isDone }
                let token = source.future.onComplete { [dropped] _ in _ = dropped }
                dropped = nil
                outcomes.append(source.future.removeCallback(token))
                source.succeed(1)
            }
            return outcomes.allSatisfy { $0 }
        }
        #expect(finished == true)
    }

    @Test("cancelled awaits on a future that stays pending leave no callback registered")
    func cancelledAwaitsLeaveNothing() async {
        let promise = Promise<Int>()
        for _ in 0..<(giveUps / 10) {
            let task = Task { try await promise.future.value }
            task.cancel()
            await #expect(throws: CancellationError.self) { try await task.value }
        }
        #expect(promise.future.registeredCallbackCount == 0)
        promise.succeed(0)
    }

    @Test("a decided firstCompleted removes its callbacks from the losing inputs and frees its state")
    func decidedFirstCompletedLeavesNothing() {
        let loser = Promise<Payload>()
        let refs = WeakRefs()
        for _ in 0..<giveUps {
            let winner = Promise<Payload>()
            let race = firstCompleted([winner.future, loser.future])
            let payload = Payload()
            refs.add(payload, race)
            winner.succeed(payload)
        }
        #expect(loser.future.registeredCallbackCount == 0)
        #expect(refs.alive == 0)
        loser.succeed(Payload())
    }

    @Test("a decided firstSucceeded removes its callbacks from the losing inputs and frees its state")
    func decidedFirstSucceededLeavesNothing() {
        let loser = Promise<Payload>()
        let refs = WeakRefs()
        for _ in 0..<giveUps {
            let winner = Promise<Payload>()
            let race = firstSucceeded([loser.future, winner.future])
            let payload = Payload()
            refs.add(payload, race)
            winner.succeed(payload)
        }
        #expect(loser.future.registeredCallbackCount == 0)
        #expect(refs.alive == 0)
        loser.succeed(Payload())
    }

    @Test("a race decided by an input that is already done removes the callbacks it made before")
    func raceDecidedDuringSetupLeavesNothing() {
        let loser = Promise<Int>()
        for _ in 0..<giveUps {
            _ = firstCompleted([loser.future, Future.succeeded(1)])
        }
        #expect(loser.future.registeredCallbackCount == 0)
        loser.succeed(0)
    }

    @Test("a decided fail-fast combine removes its callbacks and frees the values it collected")
    func decidedFailFastCombineLeavesNothing() {
        let pending = Promise<Payload>()
        let refs = WeakRefs()
        for _ in 0..<giveUps {
            let first = Promise<Payload>()
            let failing = Promise<Payload>()
            let combined = combineFutures([first.future, failing.future, pending.future], failFast: true)
            let payload = Payload()
            refs.add(payload, combined)
            first.succeed(payload)
            failing.fail(TestError(1))
        }
        #expect(pending.future.registeredCallbackCount == 0)
        #expect(refs.alive == 0)
        pending.succeed(Payload())
    }

    @Test("a completion queue released with pending futures removes its callbacks from them")
    func releasedCompletionQueueLeavesNothing() {
        let pending = Promise<Payload>()
        let refs = WeakRefs()
        for _ in 0..<giveUps {
            let queue = CompletionQueue<Payload>()
            let done = Future.succeeded(Payload())
            queue.put(pending.future)
            queue.put(done)
            refs.add(queue, done)
        }
        #expect(pending.future.registeredCallbackCount == 0)
        #expect(refs.alive == 0)
        pending.succeed(Payload())
    }

    @Test("an asCompleted loop left early removes its callbacks from the pending inputs")
    @available(macOS 15.0, iOS 18.0, tvOS 18.0, watchOS 11.0, *)
    func asCompletedLeftEarlyLeavesNothing() async {
        let pending = Promise<Int>()
        for round in 0..<(giveUps / 10) {
            for await future in asCompleted([pending.future, Future.succeeded(round)]) {
                #expect(future.result.flatMap { try? $0.get() } == round)
                break
            }
        }
        #expect(pending.future.registeredCallbackCount == 0)
        pending.succeed(0)
    }

    @Test("a future that reports done can be taken from a completion queue at once")
    func doneFutureIsTakeableAtOnce() {
        let queue = CompletionQueue<Int>()
        let promise = Promise<Int>()
        let release = DispatchSemaphore(value: 0)
        let entered = DispatchSemaphore(value: 0)
        // The first callback holds the completing thread, so the queue's callback has not run yet.
        promise.future.onComplete { _ in
            entered.signal()
            release.wait()
        }
        queue.put(promise.future)
        Thread { promise.succeed(7) }.start()
        entered.wait()
        #expect(promise.future.isDone)
        let taken = queue.get(timeout: .zero)
        release.signal()
        #expect(taken === promise.future)
        #expect(queue.get(timeout: .zero) == nil)
    }
}
