#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A pthread mutex with condition variables that wait on the monotonic clock: the library's one
/// blocking wait, used by the thread pool and, through ``Waiter``, by blocking `get` and `wait`.
///
/// ThreadSanitizer understands pthread mutexes and condition variables, so what is built on it
/// stays checkable. A timed wait accepts any deadline (see ``clamped(_:)``).
// The mutex and the conditions live in memory owned by this object and are only touched through
// the pthread functions, which synchronise all access; each condition is used with this mutex only.
package final class ConditionLock: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let conditions: UnsafeMutablePointer<pthread_cond_t>
    private let conditionCount: Int

    /// Creates a lock with `conditionCount` condition variables, numbered from 0.
    package init(conditionCount: Int) {
        self.conditionCount = conditionCount
        conditions = .allocate(capacity: conditionCount)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        for index in 0..<conditionCount {
            (conditions + index).initialize(to: pthread_cond_t())
            #if canImport(Darwin)
            pthread_cond_init(conditions + index, nil)
            #else
            var attributes = pthread_condattr_t()
            pthread_condattr_init(&attributes)
            pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
            pthread_cond_init(conditions + index, &attributes)
            pthread_condattr_destroy(&attributes)
            #endif
        }
    }

    deinit {
        for index in 0..<conditionCount {
            pthread_cond_destroy(conditions + index)
        }
        pthread_mutex_destroy(mutex)
        conditions.deallocate()
        mutex.deallocate()
    }

    @inline(__always)
    package func lock() { pthread_mutex_lock(mutex) }

    @inline(__always)
    package func unlock() { pthread_mutex_unlock(mutex) }

    @inline(__always)
    package func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    /// Wakes one thread waiting on condition `index`; call with or without the lock held.
    package func signal(_ index: Int) { pthread_cond_signal(conditions + index) }

    /// Wakes every thread waiting on condition `index`.
    package func broadcast(_ index: Int) { pthread_cond_broadcast(conditions + index) }

    /// Waits on condition `index` until signalled or `deadline`; call with the lock held.
    ///
    /// May return early (spurious wake-ups): callers re-check their condition in a loop. Any
    /// deadline works, however far: the wait is clamped to about 35,000 years.
    package func wait(_ index: Int, until deadline: ContinuousClock.Instant?) {
        guard let deadline else {
            pthread_cond_wait(conditions + index, mutex)
            return
        }
        let remaining = deadline - .now
        if remaining <= .zero { return }
        let (seconds, nanoseconds) = Self.clamped(remaining)
        #if canImport(Darwin)
        var relative = timespec(tv_sec: Int(seconds), tv_nsec: Int(nanoseconds))
        pthread_cond_timedwait_relative_np(conditions + index, mutex, &relative)
        #else
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let total = Int64(now.tv_nsec) + nanoseconds
        var absolute = timespec(
            tv_sec: now.tv_sec + Int(seconds + total / 1_000_000_000),
            tv_nsec: Int(total % 1_000_000_000)
        )
        pthread_cond_timedwait(conditions + index, mutex, &absolute)
        #endif
    }

    /// A positive wait as whole seconds and nanoseconds, the seconds capped at 2^40 (about 35,000
    /// years: far enough to mean "forever" and far from overflowing `time_t` when added to now).
    package static func clamped(_ remaining: Duration) -> (seconds: Int64, nanoseconds: Int64) {
        let (wholeSeconds, attoseconds) = remaining.components
        return (min(wholeSeconds, 1 << 40), attoseconds / 1_000_000_000)
    }
}

// MARK: - Waiter

/// A one-shot signal that one or more blocked threads wait on, with an optional deadline: a
/// ``ConditionLock`` with one condition and a flag.
// `signalled` is read and written only while holding `condition`'s mutex.
package final class Waiter: @unchecked Sendable {
    private let condition = ConditionLock(conditionCount: 1)
    private var signalled = false

    package init() {}

    /// Sets the signal and wakes every waiting thread.
    package func signal() {
        condition.withLock {
            signalled = true
            condition.broadcast(0)
        }
    }

    /// Waits until signalled or `deadline` passes; returns whether it was signalled.
    ///
    /// Any deadline works, however far in the future.
    package func wait(until deadline: ContinuousClock.Instant?) -> Bool {
        condition.withLock {
            while !signalled {
                if let deadline, deadline <= .now { return false }
                condition.wait(0, until: deadline)
            }
            return true
        }
    }
}
