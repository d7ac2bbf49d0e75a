#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A pthread mutex with condition variables that wait on the monotonic clock.
///
/// ThreadSanitizer understands pthread mutexes and condition variables, so the pool built on it
/// stays checkable.
// The mutex and the conditions live in memory owned by this object and are only touched through
// the pthread functions, which synchronise all access; each condition is used with this mutex only.
final class ConditionLock: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let conditions: UnsafeMutablePointer<pthread_cond_t>
    private let conditionCount: Int

    /// Creates a lock with `conditionCount` condition variables, numbered from 0.
    init(conditionCount: Int) {
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
    func lock() { pthread_mutex_lock(mutex) }

    @inline(__always)
    func unlock() { pthread_mutex_unlock(mutex) }

    @inline(__always)
    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    /// Wakes one thread waiting on condition `index`; call with or without the lock held.
    func signal(_ index: Int) { pthread_cond_signal(conditions + index) }

    /// Wakes every thread waiting on condition `index`.
    func broadcast(_ index: Int) { pthread_cond_broadcast(conditions + index) }

    /// Waits on condition `index` until signalled or `deadline`; call with the lock held.
    ///
    /// May return early (spurious wake-ups): callers re-check their condition in a loop.
    func wait(_ index: Int, until deadline: ContinuousClock.Instant?) {
        guard let deadline else {
            pthread_cond_wait(conditions + index, mutex)
            return
        }
        let remaining = deadline - .now
        if remaining <= .zero { return }
        let (wholeSeconds, attoseconds) = remaining.components
        // About 35,000 years: far enough to mean "forever" and far from overflowing `time_t`.
        let seconds = min(wholeSeconds, 1 << 40)
        let nanoseconds = attoseconds / 1_000_000_000
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
}
