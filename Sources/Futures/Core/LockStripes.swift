#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A fixed table of mutexes shared by the states of combinators and waits, so that such a state
/// carries no lock of its own (futures themselves use their atomic state word).
///
/// An object locks the stripe its address hashes to. Two objects may share a stripe, so a locked
/// section must never take another stripe: the mutexes are not recursive, and holding two in no
/// fixed order can deadlock.
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

extension UnsafeMutablePointer where Pointee == PlatformMutex {
    /// Locks a stripe; debug builds count the stripes this thread holds.
    @inlinable
    func lockStripe() {
        lockMutex()
        #if DEBUG
        LockStripes.heldByThisThread += 1
        #endif
    }

    /// Unlocks a stripe locked with ``lockStripe()``.
    @inlinable
    func unlockStripe() {
        #if DEBUG
        LockStripes.heldByThisThread -= 1
        #endif
        unlockMutex()
    }
}

extension LockStripes {
    #if DEBUG
    /// How many stripes this thread holds (debug builds only).
    @usableFromInline
    static var heldByThisThread: Int {
        get { ThreadContext.current.stripesHeld }
        set { ThreadContext.current.stripesHeld = newValue }
    }
    #endif

    /// Traps in debug builds if this thread holds a stripe: user code, a callback or a release that
    /// may run a deinit is about to run, and under a stripe it could deadlock.
    @inlinable
    static func assertNoStripeHeld() {
        #if DEBUG
        precondition(
            heldByThisThread == 0,
            "Internal inconsistency: user code or a release ran while a lock stripe was held.")
        #endif
    }
}
