#if canImport(Glibc)
import Glibc
#endif

/// Measures every selected workload and prints one Markdown table: time per operation (median of
/// `runs` alternating runs), allocations per operation, and our time as a fraction of the baseline's.
func printTable(_ options: Options) async {
    print("swift-futures vs SwiftNIO \(nioVersion), release build, median of \(options.runs) runs per side")
    print("")
    print("| workload | per | swift-futures | allocs | baseline | baseline time | allocs | ratio | target | |")
    print("|---|---|---:|---:|---|---:|---:|---:|---:|---|")
    for workload in Suite.workloads where options.only?.contains(workload.id) ?? true {
        let (ours, baseline) = await Harness.measure(workload, runs: options.runs, scale: options.scale)
        let ratio = ours.nanosecondsPerOperation / baseline.nanosecondsPerOperation
        let met = ratio <= workload.targetRatio
        let cells = [
            workload.title,
            workload.unit,
            "\(format(ours.nanosecondsPerOperation, 1)) ns",
            format(ours.allocationsPerOperation, 2),
            workload.baselineName,
            "\(format(baseline.nanosecondsPerOperation, 1)) ns",
            format(baseline.allocationsPerOperation, 2),
            "\(format(ratio, 2))×",
            "≤ \(format(workload.targetRatio, 2))×",
            met ? "met" : "missed",
        ]
        print("| " + cells.joined(separator: " | ") + " |")
        fflush(nil)
    }
    if options.only?.contains("memory") ?? true {
        let stages = max(1000, Int(Double(Suite.pendingStages) * options.scale))
        let ours = heapBytesPerStage(stages, FuturesWorkloads.pendingStages)
        let nio = heapBytesPerStage(stages, NIOWorkloads.pendingStages)
        let cells = [
            "memory: \(stages) pending maps (heap in use; bytes requested)",
            "stage",
            "\(format(ours.heap, 1)) B",
            "(\(format(ours.requested, 1)) B)",
            "NIO EmbeddedEventLoop",
            "\(format(nio.heap, 1)) B",
            "(\(format(nio.requested, 1)) B)",
            "\(format(ours.heap / nio.heap, 2))×",
            "≤ \(format(Suite.pendingStageTarget, 0)) B",
            ours.heap <= Suite.pendingStageTarget ? "met" : "missed",
        ]
        print("| " + cells.joined(separator: " | ") + " |")
    }
}

let nioVersion = "2.101.3"

/// `value` with `digits` decimals.
func format(_ value: Double, _ digits: Int) -> String {
    guard value.isFinite else { return "n/a" }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    var text = "\(rounded)"
    if digits == 0, text.hasSuffix(".0") { text.removeLast(2) }
    if let dot = text.firstIndex(of: ".") {
        let decimals = text.distance(from: dot, to: text.endIndex) - 1
        if decimals < digits { text += String(repeating: "0", count: digits - decimals) }
    } else if digits > 0 {
        text += "." + String(repeating: "0", count: digits)
    }
    return text
}
