#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

// MARK: - Platform mutex

#if canImport(Darwin)
@usableFromInline typealias PlatformMutex = os_unfair_lock
#else
@usableFromInline typealias PlatformMutex = pthread_mutex_t
#endif

extension UnsafeMutablePointer where Pointee == PlatformMutex {
    @inlinable
    func initializeMutex() {
        #if canImport(Darwin)
        initialize(to: os_unfair_lock())
        #else
        initialize(to: pthread_mutex_t())
        let rc = pthread_mutex_init(self, nil)
        precondition(rc == 0, "pthread_mutex_init failed with \(rc).")
        #endif
    }

    @inlinable
    func destroyMutex() {
        #if !canImport(Darwin)
        pthread_mutex_destroy(self)
        #endif
        deinitialize(count: 1)
    }

    @inlinable
    func lockMutex() {
        #if canImport(Darwin)
        os_unfair_lock_lock(self)
        #else
        let rc = pthread_mutex_lock(self)
        assert(rc == 0, "pthread_mutex_lock failed.")
        #endif
    }

    @inlinable
    func unlockMutex() {
        #if canImport(Darwin)
        os_unfair_lock_unlock(self)
        #else
        let rc = pthread_mutex_unlock(self)
        assert(rc == 0, "pthread_mutex_unlock failed.")
        #endif
    }
}

// MARK: - Lock

/// A mutual-exclusion lock over `pthread_mutex_t` (Linux) or `os_unfair_lock` (Apple platforms).
///
/// ThreadSanitizer understands both, unlike `Synchronization.Mutex` on Linux with this toolchain.
/// Never call user code while holding it: decide under the lock, act outside it.
// The mutex lives in memory owned by this object and is only touched through the pthread or os
// functions, which synchronise all access.
package final class Lock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<PlatformMutex>

    package init() {
        mutex = .allocate(capacity: 1)
        mutex.initializeMutex()
    }

    deinit {
        mutex.destroyMutex()
        mutex.deallocate()
    }

    @inline(__always)
    package func lock() { mutex.lockMutex() }

    @inline(__always)
    package func unlock() { mutex.unlockMutex() }

    @inline(__always)
    package func withLock<T>(_ body: () throws -> T) rethrows -> T {
        mutex.lockMutex()
        defer { mutex.unlockMutex() }
        return try body()
    }
}

// MARK: - Lock stripes

/// A fixed table of mutexes shared by all futures, so that a future carries no lock of its own.
///
/// A future locks the stripe its address hashes to. The rule that makes this safe: code never
/// holds two stripes at once (every locked section touches exactly one future and calls nothing
/// that locks another).
@usableFromInline
enum LockStripes {
    @usableFromInline static let count = 128
    /// One mutex per 64-byte slot, so that neighbouring stripes do not share a cache line.
    @usableFromInline static let stride = max(1, 64 / MemoryLayout<PlatformMutex>.stride + 1)

    // Allocated once and never freed; every element is initialised before first use.
    @usableFromInline nonisolated(unsafe) static let table: UnsafeMutablePointer<PlatformMutex> = {
        let table = UnsafeMutablePointer<PlatformMutex>.allocate(capacity: count * stride)
        for index in 0..<count {
            (table + index * stride).initializeMutex()
        }
        return table
    }()

    @inlinable
    static func mutex(for object: AnyObject) -> UnsafeMutablePointer<PlatformMutex> {
        // The object's address itself: `ObjectIdentifier.hashValue` would run SipHash on every lock.
        let address = UInt(bitPattern: Unmanaged.passUnretained(object).toOpaque())
        let index = Int(truncatingIfNeeded: (address >> 4) ^ (address >> 11)) & (count - 1)
        return table + index * stride
    }
}

// MARK: - Flag

/// A flag that is set once, from any thread: the cancel switch of scheduled jobs.
// `value` is read and written only under `lock`.
package final class CancelFlag: @unchecked Sendable {
    private let lock = Lock()
    private var value = false

    package init() {}

    package var isSet: Bool { lock.withLock { value } }

    package func set() { lock.withLock { value = true } }
}
