import Foundation
import Futures
import Testing

@Suite("ConditionLock")
struct ConditionLockTests {
    @Test("a wait of any length is clamped to a span that cannot overflow the clock")
    func clampsHugeDurations() {
        let huge = ConditionLock.clamped(.seconds(Int64.max))
        #expect(huge.seconds == 1 << 40)
        #expect(huge.nanoseconds == 0)
        let small = ConditionLock.clamped(.milliseconds(1_500))
        #expect(small.seconds == 1)
        #expect(small.nanoseconds == 500_000_000)
    }

    @Test("a timed wait with a deadline Int64.max seconds away does not trap on a plain thread")
    func hugeDeadlineOnPlainThread() {
        let lock = ConditionLock(conditionCount: 1)
        let waiting = Locked(false)
        let woke = Locked(false)
        let waiter = Thread {
            lock.withLock {
                waiting.withLock { $0 = true }
                // Returns once signalled (or spuriously); the signaller keeps signalling until then.
                lock.wait(0, until: .now + .seconds(Int64.max))
            }
            woke.withLock { $0 = true }
        }
        waiter.start()
        // The waiter sets `waiting` under the lock and releases it only by waiting on the condition,
        // so a signal sent under the lock after seeing `waiting` reaches a thread inside the timed wait.
        while !woke.withLock({ $0 }) {
            lock.withLock {
                if waiting.withLock({ $0 }) { lock.signal(0) }
            }
        }
        #expect(woke.withLock { $0 })
    }

    @Test("a waiter signalled from another thread returns true even with a huge deadline")
    func waiterWithHugeDeadline() {
        let waiter = Waiter()
        let result = Locked<Bool?>(nil)
        let thread = Thread {
            let signalled = waiter.wait(until: .now + .seconds(Int64.max))
            result.withLock { $0 = signalled }
        }
        thread.start()
        while result.withLock({ $0 }) == nil { waiter.signal() }
        #expect(result.withLock { $0 } == true)
    }

    @Test("a waiter whose deadline has passed returns false")
    func waiterTimesOut() {
        let waiter = Waiter()
        #expect(waiter.wait(until: .now - .seconds(1)) == false)
        #expect(waiter.wait(until: .now + .milliseconds(1)) == false)
    }

    @Test("Future.wait(timeout:) with Int64.max seconds returns once the future completes, on a plain thread")
    func futureWaitWithHugeTimeout() throws {
        let promise = Promise<Int>()
        let future = promise.future
        let completed = onFreshThread {
            let helper = Thread { _ = promise.succeed(1) }
            helper.start()
            return future.wait(timeout: .seconds(Int64.max))
        }
        #expect(completed)
        #expect(try future.get() == 1)
    }
}
