import Foundation
import Futures

/// An error type the tests throw and match on.
struct TestError: Error, Equatable {
    let id: Int

    init(_ id: Int = 0) {
        self.id = id
    }
}

/// A thread-safe list that tests append to from callbacks on any thread.
final class Recorder<Element: Sendable>: Sendable {
    private let items = Locked<[Element]>([])

    func append(_ element: Element) {
        items.withLock { $0.append(element) }
    }

    var values: [Element] {
        items.withLock { $0 }
    }
}

/// A thread-safe counter.
final class Counter: Sendable {
    private let count = Locked(0)

    func increment() {
        count.withLock { $0 += 1 }
    }

    var value: Int {
        count.withLock { $0 }
    }
}
