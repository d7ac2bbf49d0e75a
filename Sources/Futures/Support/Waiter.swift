#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A one-shot signal that a blocked thread waits on, with an optional deadline.
// `signalled` is read and written only while holding `mutex`; the condition variable is used with
// that mutex only.
final class Waiter: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var signalled = false

    init() {
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        condition.initialize(to: pthread_cond_t())
        #if canImport(Darwin)
        pthread_cond_init(condition, nil)
        #else
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
        #endif
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    func signal() {
        pthread_mutex_lock(mutex)
        signalled = true
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }

    /// Waits until signalled or `deadline` passes; returns whether it was signalled.
    func wait(until deadline: ContinuousClock.Instant?) -> Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while !signalled {
            guard let deadline else {
                pthread_cond_wait(condition, mutex)
                continue
            }
            let remaining = deadline - .now
            if remaining <= .zero { return false }
            let (seconds, attoseconds) = remaining.components
            let nanoseconds = attoseconds / 1_000_000_000
            #if canImport(Darwin)
            var relative = timespec(tv_sec: Int(seconds), tv_nsec: Int(nanoseconds))
            pthread_cond_timedwait_relative_np(condition, mutex, &relative)
            #else
            var now = timespec()
            clock_gettime(CLOCK_MONOTONIC, &now)
            var total = Int64(now.tv_nsec) + nanoseconds
            var absolute = timespec(tv_sec: now.tv_sec + Int(seconds) + Int(total / 1_000_000_000), tv_nsec: 0)
            total %= 1_000_000_000
            absolute.tv_nsec = Int(total)
            pthread_cond_timedwait(condition, mutex, &absolute)
            #endif
        }
        return true
    }
}
