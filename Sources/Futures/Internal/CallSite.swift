/// Where an operator was called, stored as three pointers to static strings and a line.
///
/// Capturing it costs no allocation; ``Traceback/Frame`` values are built from it only when a
/// failure is read.
// The pointers refer to string literals (`#fileID`, `#function` and the operator's name), which
// are immutable and live for the whole process.
struct CallSite: @unchecked Sendable {
    let operationStart: UnsafePointer<UInt8>
    let fileIDStart: UnsafePointer<UInt8>
    let functionStart: UnsafePointer<UInt8>
    let line: UInt32

    @inline(__always)
    init(_ operation: StaticString, _ fileID: StaticString, _ line: UInt, _ function: StaticString) {
        self.operationStart = Self.start(operation)
        self.fileIDStart = Self.start(fileID)
        self.functionStart = Self.start(function)
        self.line = UInt32(truncatingIfNeeded: line)
    }

    var operation: String { String(cString: operationStart) }
    var fileID: String { String(cString: fileIDStart) }
    var function: String { String(cString: functionStart) }

    @inline(__always)
    private static func start(_ string: StaticString) -> UnsafePointer<UInt8> {
        // String literals are stored NUL-terminated; a one-scalar literal has no pointer form.
        string.hasPointerRepresentation ? string.utf8Start : unknown.utf8Start
    }

    private static let unknown: StaticString = "?"
}
