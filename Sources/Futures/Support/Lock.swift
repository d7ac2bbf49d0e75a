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

/// A mutex in a single allocation, shared by the copies of the value that holds it.
///
/// `Lock` is for hand-written critical sections on measured hot paths; guarded state belongs in a
/// ``Locked`` box, where the compiler checks that it is only touched under the lock.
// `storage` is only touched through the mutex functions.
package struct Lock: @unchecked Sendable {
    private let storage: LockStorage<Void>

    package init() {
        storage = LockStorage.make(())
    }

    @inline(__always)
    package func lock() { storage.lock() }

    @inline(__always)
    package func unlock() { storage.unlock() }

    @inline(__always)
    package func withLock<T>(_ body: () throws -> T) rethrows -> T {
        storage.lock()
        defer { storage.unlock() }
        return try body()
    }
}

// MARK: - Locked

/// State that is only ever read or written under its own lock (as SwiftNIO's `NIOLockedValueBox`).
///
/// The state and the mutex share one allocation. Never run user code, resume a continuation or
/// release something a user may own inside `withLock`: return it, and act after the lock is
/// released.
// The state is only reachable through `withLock`, which holds the mutex for the whole access.
package struct Locked<State>: @unchecked Sendable {
    private let storage: LockStorage<State>

    /// Creates a box holding `initial`.
    package init(_ initial: State) {
        storage = LockStorage.make(initial)
    }

    /// Runs `body` with exclusive access to the state.
    @inline(__always)
    package func withLock<T>(_ body: (inout State) throws -> T) rethrows -> T {
        storage.lock()
        defer { storage.unlock() }
        return try storage.withUnsafeMutablePointerToHeader { try body(&$0.pointee) }
    }
}

/// The allocation behind ``Lock`` and ``Locked``: the state as the header, the mutex as the one
/// tail element.
final class LockStorage<State>: ManagedBuffer<State, PlatformMutex> {
    static func make(_ initial: State) -> LockStorage {
        let buffer = create(minimumCapacity: 1) { _ in initial }
        let storage = unsafeDowncast(buffer, to: LockStorage.self)
        storage.withUnsafeMutablePointerToElements { $0.initializeMutex() }
        return storage
    }

    @inline(__always)
    func lock() {
        withUnsafeMutablePointerToElements { $0.lockMutex() }
    }

    @inline(__always)
    func unlock() {
        withUnsafeMutablePointerToElements { $0.unlockMutex() }
    }

    deinit {
        withUnsafeMutablePointerToElements { $0.destroyMutex() }
    }
}
