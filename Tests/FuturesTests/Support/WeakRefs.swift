import Foundation

/// Weak references to objects that a test expects to be released.
final class WeakRefs: @unchecked Sendable {
    private struct Ref {
        weak var object: AnyObject?
    }

    // `refs` is accessed only under `lock`.
    private let lock = NSLock()
    private var refs: [Ref] = []

    /// Watches `objects` without keeping them alive.
    func add(_ objects: AnyObject...) {
        let added = objects.map { Ref(object: $0) }
        lock.withLock { refs += added }
    }

    /// How many of the watched objects are still alive.
    var alive: Int {
        lock.withLock { refs.filter { $0.object != nil }.count }
    }

    /// How many objects are watched.
    var count: Int {
        lock.withLock { refs.count }
    }
}
