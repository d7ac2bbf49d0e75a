import CAllocationCounter

// MARK: - Workloads

/// One measured operation: runs `operations` times (or over that many items) and returns a
/// checksum, so that the optimiser cannot drop the work.
enum Body: Sendable {
    case sync(@Sendable (_ operations: Int) -> Int)
    case async(@Sendable (_ operations: Int) async -> Int)

    func run(_ operations: Int) async -> Int {
        switch self {
        case .sync(let body): body(operations)
        case .async(let body): await body(operations)
        }
    }
}

/// A workload measured for swift-futures and for a baseline, side by side.
struct Workload: Sendable {
    /// Short identifier, also the key of the pinned allocation limits (`W1`, `W2`, ...).
    let id: String
    let title: String
    /// What one operation is, for the table ("stage", "input", "callback", ...).
    let unit: String
    /// Operations per timed run.
    let operations: Int
    /// Operations per allocation-check run (`--check`), smaller so that CI stays fast.
    let checkOperations: Int
    let ours: Body
    let baselineName: String
    let baseline: Body
    /// The time target: at most this fraction of the baseline's time.
    let targetRatio: Double
}

/// What one side of a workload measured.
struct Measurement {
    var nanosecondsPerOperation: Double
    var allocationsPerOperation: Double
    var bytesPerOperation: Double
}

// MARK: - Measuring

enum Harness {
    /// Time per operation of one run, in nanoseconds.
    static func time(_ body: Body, _ operations: Int) async -> Double {
        let clock = ContinuousClock()
        var checksum = 0
        let elapsed = await clock.measure {
            checksum = await body.run(operations)
        }
        blackHole(checksum)
        let (seconds, attoseconds) = elapsed.components
        let nanoseconds = Double(seconds) * 1e9 + Double(attoseconds) / 1e9
        return nanoseconds / Double(operations)
    }

    /// Allocations and requested bytes per operation of one run, counted on every thread.
    static func allocations(_ body: Body, _ operations: Int) async -> (allocations: Double, bytes: Double) {
        allocation_counter_start()
        let checksum = await body.run(operations)
        allocation_counter_stop()
        blackHole(checksum)
        let count = Double(allocation_counter_allocations())
        let bytes = Double(allocation_counter_requested_bytes())
        return (count / Double(operations), bytes / Double(operations))
    }

    /// Measures both sides of `workload`: `runs` timed runs each, alternating, after a warm-up.
    ///
    /// Alternating runs of the two sides within one process keeps the ratio meaningful on a
    /// shared machine whose speed drifts between runs.
    static func measure(_ workload: Workload, runs: Int, scale: Double) async -> (
        ours: Measurement, baseline: Measurement
    ) {
        let operations = max(1, Int(Double(workload.operations) * scale))
        let warmUp = max(1, operations / 10)
        _ = await time(workload.ours, warmUp)
        _ = await time(workload.baseline, warmUp)
        var ourTimes: [Double] = []
        var baselineTimes: [Double] = []
        for _ in 0..<runs {
            ourTimes.append(await time(workload.ours, operations))
            baselineTimes.append(await time(workload.baseline, operations))
        }
        let ourAllocations = await allocations(workload.ours, operations)
        let baselineAllocations = await allocations(workload.baseline, operations)
        return (
            Measurement(
                nanosecondsPerOperation: median(ourTimes),
                allocationsPerOperation: ourAllocations.allocations,
                bytesPerOperation: ourAllocations.bytes
            ),
            Measurement(
                nanosecondsPerOperation: median(baselineTimes),
                allocationsPerOperation: baselineAllocations.allocations,
                bytesPerOperation: baselineAllocations.bytes
            )
        )
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}

// MARK: - Memory

/// Heap bytes that one pending stage keeps alive, and bytes requested from `malloc` per stage.
///
/// The heap figure is the net growth of glibc chunk sizes (8-byte size header and rounding to 16
/// included) while `build` makes `stages` pending stages, divided by `stages`. `build` returns a
/// closure that completes and releases them.
func heapBytesPerStage(_ stages: Int, _ build: (Int) -> () -> Void) -> (heap: Double, requested: Double) {
    allocation_counter_start()
    let release = build(stages)
    allocation_counter_stop()
    let heap = Double(allocation_counter_net_heap_bytes())
    let requested = Double(allocation_counter_requested_bytes())
    release()
    return (heap / Double(stages), requested / Double(stages))
}

// MARK: - Black hole

nonisolated(unsafe) private var sink = 0

/// Keeps a value alive as far as the optimiser can tell.
@inline(never)
func blackHole(_ value: Int) {
    sink &+= value
}
