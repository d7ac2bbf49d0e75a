import Futures

/// What a completed future answered, in a form that tests compare with `==`: the value, or the
/// error with the frames of its traceback.
enum Answer<Value: Equatable & Sendable>: Equatable {
    case value(Value)
    case failure(TestError, [FrameSummary])
    case pending
    case otherError(String)

    /// The answer of `future`, its value turned into `Value` by `convert`.
    init<T>(_ future: Future<T>, _ convert: (T) -> Value) {
        switch future.result {
        case nil:
            self = .pending
        case .success(let value):
            self = .value(convert(value))
        case .failure(let error as TestError):
            self = .failure(error, future.traceback?.frames.map(FrameSummary.init) ?? [])
        case .failure(let error):
            self = .otherError(String(describing: error))
        }
    }

    init(_ future: Future<Value>) {
        self.init(future) { $0 }
    }

    /// The answer expected from combining `SeededInputs` when `failing` fail: the values, or the
    /// lowest-index failure raised by the inputs' map, passed through the combinator's frame.
    static func expected(
        failing: Set<Int>,
        count: Int,
        operation: String,
        line: UInt,
        fileID: String,
        values: Value
    ) -> Answer {
        guard let lowest = failing.min() else { return .value(values) }
        return .failure(
            TestError(lowest),
            [
                FrameSummary(
                    operation: "map", fileID: SeededInputs.fileID, line: SeededInputs.mapLine, role: .raised,
                    inputIndex: nil, inputCount: nil),
                FrameSummary(
                    operation: operation, fileID: fileID, line: line, role: .passedThrough,
                    inputIndex: lowest, inputCount: count),
            ]
        )
    }
}

/// The parts of a traceback frame that tests compare.
struct FrameSummary: Equatable {
    var operation: String
    var fileID: String
    var line: UInt
    var role: Traceback.Frame.Role
    var inputIndex: Int?
    var inputCount: Int?

    init(
        operation: String,
        fileID: String,
        line: UInt,
        role: Traceback.Frame.Role,
        inputIndex: Int?,
        inputCount: Int?
    ) {
        self.operation = operation
        self.fileID = fileID
        self.line = line
        self.role = role
        self.inputIndex = inputIndex
        self.inputCount = inputCount
    }

    init(_ frame: Traceback.Frame) {
        self.init(
            operation: frame.operation, fileID: frame.fileID, line: frame.line, role: frame.role,
            inputIndex: frame.inputIndex, inputCount: frame.inputCount)
    }
}
