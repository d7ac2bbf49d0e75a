// A failure that explains itself: a report pipeline fails deep inside, and the traceback names
// where the error was raised and every stage it crossed. Run it with `swift run example-traceback`.
import Futures

enum ReportError: Error {
    case missingColumn(String)
}

struct Table: Sendable {
    let columns: [String]
    let rows: [[Int]]
}

/// Loads a table; the caller completes the promise later, as an I/O callback would.
func loadTable(_ name: String, into pending: inout [() -> Void]) -> Future<Table> {
    let promise = Promise<Table>()
    pending.append {
        promise.succeed(Table(columns: ["region", "units"], rows: [[1, 40], [2, 25]]))
    }
    return promise.future
}

func column(_ name: String, of table: Table) throws -> [Int] {
    guard let index = table.columns.firstIndex(of: name) else {
        throw ReportError.missingColumn(name)
    }
    return table.rows.map { $0[index] }
}

func totalRevenue(of table: Future<Table>) -> Future<Int> {
    table
        .map { try column("revenue", of: $0) }
        .map { $0.reduce(0, +) }
}

func buildReport(pending: inout [() -> Void]) -> Future<String> {
    let sales = loadTable("sales", into: &pending)
    return totalRevenue(of: sales)
        .flatMap { revenue in Future.succeeded(revenue).and(Future.succeeded(2026)) }
        .map { revenue, year in "Revenue \(year): \(revenue)" }
}

var pending: [() -> Void] = []
let report = buildReport(pending: &pending)
pending.forEach { $0() }

do {
    print(try report.get())
} catch {
    print("The report failed: \(error)")
    print()
    if let traceback = report.traceback {
        print(traceback)
        print()
        print("Frames, for tools:")
        for frame in traceback.frames {
            print("  \(frame)")
        }
    }
}

// A handler that fails in turn keeps the failure it handled: the report falls back to a cache
// that is empty, and the traceback shows both failures, as Python does.
enum CacheError: Error {
    case empty
}

let fallback = report.recover { _ -> String in throw CacheError.empty }
if let traceback = fallback.traceback {
    print()
    print("With a fallback that fails too:")
    print()
    print(traceback)
    print()
    print("Handled error, for tools: \(traceback.handledError.map { String(describing: $0) } ?? "none")")
}
