import Foundation

/// An error type the tests throw and match on.
struct TestError: Error, Equatable {
    let id: Int

    init(_ id: Int = 0) {
        self.id = id
    }
}

/// A thread-safe list that tests append to from callbacks on any thread.
final class Recorder<Element: Sendable>: @unchecked Sendable {
    // `items` is accessed only under `lock`.
    private let lock = NSLock()
    private var items: [Element] = []

    func append(_ element: Element) {
        lock.withLock { items.append(element) }
    }

    var values: [Element] {
        lock.withLock { items }
    }
}

/// A thread-safe counter.
final class Counter: @unchecked Sendable {
    // `count` is accessed only under `lock`.
    private let lock = NSLock()
    private var count = 0

    func increment() {
        lock.withLock { count += 1 }
    }

    var value: Int {
        lock.withLock { count }
    }
}
