/// Allocation counts pinned for CI: `futures-benchmarks --check` fails if swift-futures allocates
/// more than this per operation, or keeps more heap per pending stage than `pendingStageBytes`.
///
/// The counts are exact (they do not depend on timing) except where noted, so the limits sit just
/// above the measured value: a regression of one allocation per operation fails.
enum PinnedLimits {
    static let allocationsPerOperation: [String: Double] = [
        // One stage is one future: the stage's entry (closure, target, packed user closure) lives
        // inline in its source's callback slot. Every 16th nested delivery hands its callbacks to
        // the trampoline's queue in one closure: 1/16 = 0.0625 more.
        "W1": 1.07,
        // One shared state object per combine, nothing per input; the inputs' own futures count.
        "W2": 1.01,
        // Nothing per callback: the entry (closure, packed user closure) is inline, an inline
        // callback runs without a hop closure, and the overflow array grows geometrically, which
        // adds well under 0.01 per callback.
        "W3": 0.01,
        // The future and the map's future. The promise object does not escape this loop, so the
        // optimiser promotes it to the stack; a promise that escapes adds one.
        "W4": 2.01,
        // Promise and future; a callback registered before completion lives inline in the state
        // word's storage, and one that finds its future done costs nothing.
        "W5": 2.05,
        // The future, its work record (which holds the future's callbacks and outcome, and is
        // stamped with atomics), the job closure, the user's closure context and the pool's queue.
        // Measured 6.00. Timing-dependent: a `get` that finds its work still running adds a
        // waiter, hence the slack. Task {} needs 5.
        "async": 6.5,
    ]

    /// Heap bytes per pending `map` stage: glibc chunk sizes, exact. The future object is 85 bytes
    /// (a 96-byte chunk): one more field would move it to the next chunk size, 112.
    static let pendingStageBytes = 96.5
}

/// Runs swift-futures' side of every workload once with counting on and compares with the pins.
///
/// No timing: it runs in a few seconds. Returns whether every pin held.
func checkAllocations() async -> Bool {
    var passed = true
    print("| workload | allocations per op | limit | |")
    print("|---|---:|---:|---|")
    for workload in Suite.workloads {
        let counted = await Harness.allocations(workload.ours, workload.checkOperations)
        guard let limit = PinnedLimits.allocationsPerOperation[workload.id] else {
            print("| \(workload.id) | \(format(counted.allocations, 3)) | none pinned | FAIL |")
            passed = false
            continue
        }
        let ok = counted.allocations <= limit
        passed = passed && ok
        print("| \(workload.id) | \(format(counted.allocations, 3)) | \(format(limit, 2)) | \(ok ? "ok" : "FAIL") |")
    }
    let memory = heapBytesPerStage(Suite.checkPendingStages, FuturesWorkloads.pendingStages)
    let ok = memory.heap <= PinnedLimits.pendingStageBytes
    passed = passed && ok
    print(
        "| pending stage (heap bytes) | \(format(memory.heap, 1)) | \(format(PinnedLimits.pendingStageBytes, 1)) "
            + "| \(ok ? "ok" : "FAIL") |"
    )
    return passed
}
