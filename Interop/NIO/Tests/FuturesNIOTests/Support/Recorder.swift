import NIOConcurrencyHelpers

/// A thread-safe list that jobs on any thread append to, for tests to read afterwards.
final class Recorder<Element: Sendable>: Sendable {
    private let box = NIOLockedValueBox<[Element]>([])

    func append(_ element: Element) {
        box.withLockedValue { $0.append(element) }
    }

    var values: [Element] {
        box.withLockedValue { $0 }
    }
}

/// The error that tests fail their futures with.
struct Boom: Error, Equatable {
    var id = 0
}
