#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Callback tokens unique in the process (until 2³² registrations wrap them), so that a token of
/// a released future never matches a callback of a new future that reuses its address.
///
/// Each thread takes a block of tokens from a global counter under a lock, then hands them out
/// without locking.
@usableFromInline
enum CallbackTokens {
    static let blockSize: UInt32 = 4096
    static let lock = Lock()
    // Guarded by `lock`.
    nonisolated(unsafe) static var nextBlock: UInt32 = 1

    /// A fresh token: never 0 (internal callbacks) nor `UInt32.max` (the overflow entry's marker).
    @inlinable
    static func next() -> UInt32 {
        let context = ThreadContext.current
        if context.nextToken == context.tokenLimit {
            refill(context)
        }
        let token = context.nextToken
        context.nextToken &+= 1
        return token
    }

    @usableFromInline
    static func refill(_ context: ThreadContext) {
        let start: UInt32 = lock.withLock {
            // Blocks start at multiples of the block size from 1, so none contains 0 or UInt32.max.
            if nextBlock > UInt32.max - blockSize { nextBlock = 1 }
            let start = nextBlock
            nextBlock += blockSize
            return start
        }
        context.nextToken = start
        context.tokenLimit = start + blockSize - 1
    }
}
