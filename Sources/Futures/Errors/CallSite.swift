/// Where an operator was called: two pointers to static strings, a line and the operator.
///
/// Capturing it costs no allocation; ``Traceback/Frame`` values are built from it only when a
/// failure is read.
// The pointers refer to string literals (`#fileID`, `#function`), which are immutable and live
// for the whole process.
@usableFromInline
struct CallSite: @unchecked Sendable {
    @usableFromInline let line: UInt32
    @usableFromInline let operation: Operation
    @usableFromInline let fileIDStart: UnsafePointer<UInt8>
    @usableFromInline let functionStart: UnsafePointer<UInt8>

    @inlinable
    init(_ operation: Operation, _ fileID: StaticString, _ line: UInt, _ function: StaticString) {
        self.fileIDStart = Self.start(fileID)
        self.functionStart = Self.start(function)
        self.line = UInt32(truncatingIfNeeded: line)
        self.operation = operation
    }

    /// Reassembles a call site that a future stores field by field.
    @inlinable
    init(operation: Operation, line: UInt32, fileIDStart: UnsafePointer<UInt8>, functionStart: UnsafePointer<UInt8>) {
        self.operation = operation
        self.line = line
        self.fileIDStart = fileIDStart
        self.functionStart = functionStart
    }

    var fileID: String { String(cString: fileIDStart) }
    var function: String { String(cString: functionStart) }

    @inlinable
    static func start(_ string: StaticString) -> UnsafePointer<UInt8> {
        // String literals are stored NUL-terminated; a one-scalar literal has no pointer form.
        string.hasPointerRepresentation ? string.utf8Start : unknown.utf8Start
    }

    @usableFromInline static let unknown: StaticString = "?"
}

/// The API that made a stage, as named in traceback frames.
@usableFromInline
enum Operation: UInt8, Sendable {
    case promise
    case succeeded
    case failed
    case map
    case flatMap
    case continueWith
    case recover
    case flatRecover
    case mapError
    case always
    case and
    case cancel
    case async
    case task
    case combineFutures
    case combineResults
    case firstCompleted
    case firstSucceeded
    case timeout
    case delay
    case retry
    case wrapTask
    case completed
    case fold
    case reduce
    case allSucceeded
    case allCompleted
    case unwrap
    case cascade
    case cascadeSuccess
    case cascadeFailure
    case assertSuccess
    case assertFailure
    case executorMap

    var name: String {
        switch self {
        case .promise: "Promise"
        case .succeeded: "Future.succeeded"
        case .failed: "Future.failed"
        case .map: "map"
        case .flatMap: "flatMap"
        case .continueWith: "continueWith"
        case .recover: "recover"
        case .flatRecover: "flatRecover"
        case .mapError: "mapError"
        case .always: "always"
        case .and: "and"
        case .cancel: "cancel"
        case .async: "Future.async"
        case .task: "Future.init(priority:_:)"
        case .combineFutures: "combineFutures"
        case .combineResults: "combineResults"
        case .firstCompleted: "firstCompleted"
        case .firstSucceeded: "firstSucceeded"
        case .timeout: "timeout"
        case .delay: "delay"
        case .retry: "retry"
        case .wrapTask: "Future.init(_:)"
        case .completed: "Future.completed"
        case .fold: "fold"
        case .reduce: "Future.reduce"
        case .allSucceeded: "allSucceeded"
        case .allCompleted: "allCompleted"
        case .unwrap: "unwrap"
        case .cascade: "cascade"
        case .cascadeSuccess: "cascadeSuccess"
        case .cascadeFailure: "cascadeFailure"
        case .assertSuccess: "assertSuccess"
        case .assertFailure: "assertFailure"
        case .executorMap: "FutureExecutor.map"
        }
    }
}
