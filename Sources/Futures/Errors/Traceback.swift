/// The error context of a failed future: where the error was raised and every stage it passed.
///
/// A failure carries a traceback from the stage that raised it through every operator it crossed,
/// oldest frame first. Read it from ``Future/traceback``; print it for a Python-style report:
///
/// ```swift
/// if let traceback = future.traceback {
///     print(traceback)
/// }
/// // Traceback (most recent call last):
/// //   File "App/Pipeline.swift", line 12, in load()
/// //     Promise (raised here)
/// //   File "App/Pipeline.swift", line 20, in run()
/// //     map (passed through)
/// // PipelineError: notFound
/// ```
///
/// A traceback is an immutable value. Appending a frame makes a new traceback that shares the
/// old frames; futures that share an upstream share no mutable state, and reading a traceback
/// never grows it.
public struct Traceback: Sendable, CustomStringConvertible {
    /// The newest frame; the older ones are reached through its parents.
    let last: TracebackNode

    init(last: TracebackNode) {
        self.last = last
    }

    /// The error the frames describe, shown in the last line of ``description``.
    ///
    /// ```swift
    /// if traceback.error is CancellationError { print("cancelled, not failed") }
    /// ```
    public var error: any Error { last.error }

    /// The frames, oldest first: the stage that raised the error comes first.
    ///
    /// ```swift
    /// let origin = traceback.frames.first!  // the stage that raised the error
    /// print("raised at \(origin.fileID):\(origin.line)")
    /// ```
    public var frames: [Frame] {
        var frames: [Frame] = []
        frames.reserveCapacity(last.depth)
        var node: TracebackNode? = last
        while let current = node {
            frames.append(current.frame)
            node = current.parent
        }
        frames.reverse()
        return frames
    }

    /// The failure that a handler was handling when it raised this traceback's error, or `nil`.
    ///
    /// Every error handler (`recover`, `flatRecover`, `mapError`, and `continueWith` on a failed
    /// future) whose closure throws keeps the frames of the failure it handled: they come first in
    /// ``frames``, followed by the handler's own frame, marked ``Frame/Role-swift.enum/raised``.
    /// This property returns the handled failure on its own, for the newest such handler in the
    /// chain (as Python's `__context__`); it may in turn have a `handled` failure of its own. It is
    /// `nil` for a failure that no handler raised.
    ///
    /// ```swift
    /// let parsed = download().recover { error in throw ParseError.noCache(error) }
    /// parsed.traceback?.handled?.error    // the download's error
    /// parsed.traceback?.handled?.frames   // its frames, which `frames` also starts with
    /// ```
    public var handled: Traceback? {
        var node: TracebackNode? = last
        while let current = node {
            if current.handling, let parent = current.parent { return Traceback(last: parent) }
            node = current.parent
        }
        return nil
    }

    /// The error that a handler was handling when it raised this traceback's error, or `nil`.
    ///
    /// The same as `handled?.error`; see ``handled``.
    ///
    /// ```swift
    /// let typed = request.mapError { APIError.transport($0) }
    /// typed.traceback?.handledError  // the request's original error
    /// ```
    public var handledError: (any Error)? { handled?.error }

    /// A report in the style of a Python traceback: a header, two lines per frame, the error.
    ///
    /// When an error handler raised a different error than the one it handled, the report shows the
    /// handled failure first, ending with its error, then the line
    /// `During handling of the above error, another error occurred:` and the frames of the new
    /// error, as Python does. A handler that rethrows the error it handled continues the same
    /// section. (Errors are the same when they are the same class instance, equal by `==` for an
    /// `Equatable` type, or otherwise of the same type with the same `String(reflecting:)`.)
    ///
    /// ```swift
    /// logger.error("\(traceback.description)")
    /// // Traceback (most recent call last):
    /// //   File "App/Pipeline.swift", line 12, in load()
    /// //     Promise (raised here)
    /// // PipelineError: notFound
    /// //
    /// // During handling of the above error, another error occurred:
    /// //
    /// // Traceback (most recent call last):
    /// //   File "App/Pipeline.swift", line 20, in run()
    /// //     recover (raised here)
    /// // PipelineError: noFallback
    /// ```
    public var description: String {
        let header = "Traceback (most recent call last):\n"
        var text = header
        for node in nodes {
            if node.handling, let handled = node.parent, !Self.isSame(node.error, handled.error) {
                text += Self.describe(handled.error)
                text += "\n\nDuring handling of the above error, another error occurred:\n\n"
                text += header
            }
            let frame = node.frame
            text += "  File \"\(frame.fileID)\", line \(frame.line), in \(frame.function)\n"
            text += "    \(frame.summary)\n"
        }
        text += Self.describe(error)
        return text
    }

    /// The nodes, oldest first.
    private var nodes: [TracebackNode] {
        var nodes: [TracebackNode] = []
        nodes.reserveCapacity(last.depth)
        var node: TracebackNode? = last
        while let current = node {
            nodes.append(current)
            node = current.parent
        }
        nodes.reverse()
        return nodes
    }

    /// Whether two errors are the same for the printed form: a rethrown error continues its section.
    static func isSame(_ first: any Error, _ second: any Error) -> Bool {
        guard ObjectIdentifier(type(of: first)) == ObjectIdentifier(type(of: second)) else { return false }
        if type(of: first) is AnyClass { return (first as AnyObject) === (second as AnyObject) }
        if let equatable = first as? any Equatable { return equatable.isEqual(toAny: second) }
        return String(reflecting: first) == String(reflecting: second)
    }

    static func describe(_ error: any Error) -> String {
        let type = String(describing: Swift.type(of: error))
        let text = String(describing: error)
        return text.hasPrefix(type) ? text : "\(type): \(text)"
    }
}

// MARK: - Frame

extension Traceback {
    /// One stage of a failure's journey: an operator, where it was called, and its part in it.
    ///
    /// ```swift
    /// for frame in traceback.frames where frame.role == .raised {
    ///     print("raised by \(frame.operation) at \(frame.fileID):\(frame.line)")
    /// }
    /// ```
    public struct Frame: Sendable, Hashable, CustomStringConvertible {
        /// The name of the API that made this stage, such as `"Promise"`, `"map"` or `"combineFutures"`.
        ///
        /// ```swift
        /// let stages = traceback.frames.map(\.operation)  // ["Promise", "map"]
        /// ```
        public var operation: String
        /// The `#fileID` of the call site, such as `"App/Pipeline.swift"`.
        ///
        /// ```swift
        /// print(traceback.frames[0].fileID)  // App/Pipeline.swift
        /// ```
        public var fileID: String
        /// The line of the call site.
        ///
        /// ```swift
        /// print(traceback.frames[0].line)  // 12
        /// ```
        public var line: UInt
        /// The function that contains the call site.
        ///
        /// ```swift
        /// print(traceback.frames[0].function)  // load()
        /// ```
        public var function: String
        /// Whether the error was raised at this stage or passed through it.
        ///
        /// ```swift
        /// let origin = traceback.frames.first { $0.role == .raised }
        /// ```
        public var role: Role
        /// For combinators, the zero-based index of the input that failed.
        ///
        /// The printed form counts from one, for people: index 1 of 3 prints `input 2 of 3`.
        ///
        /// ```swift
        /// if let index = frame.inputIndex { print("input at index \(index) failed") }
        /// ```
        public var inputIndex: Int?
        /// For combinators, how many inputs there were.
        ///
        /// ```swift
        /// if let index = frame.inputIndex, let count = frame.inputCount { print("input \(index + 1) of \(count)") }
        /// ```
        public var inputCount: Int?

        /// Creates a frame.
        ///
        /// ```swift
        /// let expected = Traceback.Frame(
        ///     operation: "map", fileID: "App/Pipeline.swift", line: 20, function: "run()", role: .passedThrough
        /// )
        /// #expect(traceback.frames.last == expected)
        /// ```
        ///
        /// - Parameters:
        ///   - operation: The name of the API that made this stage.
        ///   - fileID: The `#fileID` of the call site.
        ///   - line: The line of the call site.
        ///   - function: The function that contains the call site.
        ///   - role: Whether the error was raised here or passed through.
        ///   - inputIndex: For combinators, the zero-based index of the failed input.
        ///   - inputCount: For combinators, the number of inputs.
        public init(
            operation: String,
            fileID: String,
            line: UInt,
            function: String,
            role: Role,
            inputIndex: Int? = nil,
            inputCount: Int? = nil
        ) {
            self.operation = operation
            self.fileID = fileID
            self.line = line
            self.function = function
            self.role = role
            self.inputIndex = inputIndex
            self.inputCount = inputCount
        }

        /// The part a stage played in a failure.
        ///
        /// ```swift
        /// switch frame.role {
        /// case .raised: print("raised in \(frame.function)")
        /// case .passedThrough: print("passed through \(frame.operation)")
        /// }
        /// ```
        public enum Role: Sendable, Hashable {
            /// The error was thrown by this stage's closure, or this promise was failed.
            ///
            /// ```swift
            /// let origin = traceback.frames.first { $0.role == .raised }
            /// ```
            case raised
            /// The error crossed this stage unchanged.
            ///
            /// ```swift
            /// let crossed = traceback.frames.filter { $0.role == .passedThrough }.map(\.operation)
            /// ```
            case passedThrough
        }

        /// The frame as one line: `fileID:line in function: operation (role)`.
        ///
        /// ```swift
        /// print(traceback.frames[0])  // App/Pipeline.swift:12 in load(): Promise (raised here)
        /// ```
        public var description: String {
            "\(fileID):\(line) in \(function): \(summary)"
        }

        var summary: String {
            var text = operation
            if let inputIndex {
                // People count from one: index 1 of 3 prints "input 2 of 3"; `inputIndex` stays zero-based.
                text += operation == Operation.retry.name ? ": attempt \(inputIndex + 1)" : ": input \(inputIndex + 1)"
                if let inputCount { text += " of \(inputCount)" }
            }
            switch role {
            case .raised: text += " (raised here)"
            case .passedThrough: text += " (passed through)"
            }
            return text
        }
    }
}

// MARK: - Storage

/// A failure: its error, the newest frame, and a link to the frame before it. Tracebacks share
/// their older frames; a failure that passes a stage costs one node.
// Every property is immutable except `parent`, which is cleared only in `deinit`, on nodes that
// nothing else references any more.
@usableFromInline
final class TracebackNode: @unchecked Sendable {
    @usableFromInline let error: any Error
    let site: CallSite
    let role: Traceback.Frame.Role
    let inputIndex: Int32
    let inputCount: Int32
    /// Whether this node was raised by an error handler and `parent` is the failure it handled.
    let handling: Bool
    private(set) var parent: TracebackNode?
    let depth: Int

    @usableFromInline
    init(
        error: any Error,
        site: CallSite,
        role: Traceback.Frame.Role,
        inputIndex: Int? = nil,
        inputCount: Int? = nil,
        handling: Bool = false,
        parent: TracebackNode?
    ) {
        self.error = error
        self.site = site
        self.role = role
        self.inputIndex = inputIndex.map { Int32(truncatingIfNeeded: $0) } ?? -1
        self.inputCount = inputCount.map { Int32(truncatingIfNeeded: $0) } ?? -1
        self.handling = handling
        self.parent = parent
        self.depth = (parent?.depth ?? 0) + 1
    }

    var frame: Traceback.Frame {
        Traceback.Frame(
            operation: site.operation.name,
            fileID: site.fileID,
            line: UInt(site.line),
            function: site.function,
            role: role,
            inputIndex: inputIndex >= 0 ? Int(inputIndex) : nil,
            inputCount: inputCount >= 0 ? Int(inputCount) : nil
        )
    }

    deinit {
        // Unlink iteratively: releasing a million-frame traceback must not recurse per frame.
        var current = parent
        parent = nil
        while isKnownUniquelyReferenced(&current), let node = current {
            current = node.parent
            node.parent = nil
        }
    }
}

extension Equatable {
    /// Whether `other` is a value of this type equal to this one.
    fileprivate func isEqual(toAny other: Any) -> Bool {
        (other as? Self) == self
    }
}
