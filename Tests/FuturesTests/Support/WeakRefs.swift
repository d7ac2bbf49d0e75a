import Foundation
import Futures

/// Weak references to objects that a test expects to be released.
final class WeakRefs: Sendable {
    private struct Ref {
        weak var object: AnyObject?
    }

    private let refs = Locked<[Ref]>([])

    /// Watches `objects` without keeping them alive.
    func add(_ objects: AnyObject...) {
        let added = objects.map { Ref(object: $0) }
        refs.withLock { $0 += added }
    }

    /// How many of the watched objects are still alive.
    var alive: Int {
        refs.withLock { refs in refs.filter { $0.object != nil }.count }
    }

    /// How many objects are watched.
    var count: Int {
        refs.withLock { $0.count }
    }
}
