/// The workloads, in table order, with their sizes and targets.
enum Suite {
    static let workloads: [Workload] = {
        [
            Workload(
                id: "W1",
                title: "W1 chain: 1,000,000 maps registered, then complete",
                unit: "stage",
                operations: 1_000_000,
                checkOperations: 100_000,
                ours: .sync(FuturesWorkloads.chain),
                baselineName: "NIO EmbeddedEventLoop",
                baseline: .sync(NIOWorkloads.chain),
                targetRatio: 0.5
            ),
            Workload(
                id: "W2",
                title: "W2 fan-out: 1,000,000 completed futures combined",
                unit: "input",
                operations: 1_000_000,
                checkOperations: 100_000,
                ours: .sync(FuturesWorkloads.fanOut),
                baselineName: "NIO whenAllSucceed",
                baseline: .sync(NIOWorkloads.fanOut),
                targetRatio: 0.3
            ),
            Workload(
                id: "W3",
                title: "W3 callbacks: 100,000 on one promise, then complete",
                unit: "callback",
                operations: 100_000,
                checkOperations: 100_000,
                ours: .sync(FuturesWorkloads.callbacks),
                baselineName: "NIO EmbeddedEventLoop",
                baseline: .sync(NIOWorkloads.callbacks),
                targetRatio: 0.8
            ),
            Workload(
                id: "W4",
                title: "W4 make promise, map, complete, read",
                unit: "iteration",
                operations: 1_000_000,
                checkOperations: 100_000,
                ours: .sync(FuturesWorkloads.createMapCompleteRead),
                baselineName: "NIO EmbeddedEventLoop",
                baseline: .sync(NIOWorkloads.createMapCompleteRead),
                targetRatio: 0.5
            ),
            Workload(
                id: "W5",
                title: "W5 cross-thread: complete 100,000 while callbacks attach",
                unit: "promise",
                operations: 100_000,
                checkOperations: 20_000,
                ours: .sync(FuturesWorkloads.crossThread),
                baselineName: "NIO 1-thread event loop",
                baseline: .sync(NIOWorkloads.crossThread),
                targetRatio: 0.2
            ),
            Workload(
                id: "async",
                title: "Future.async on a 2-thread pool, 100,000 jobs, read each",
                unit: "job",
                operations: 100_000,
                checkOperations: 20_000,
                ours: .sync(FuturesWorkloads.async),
                baselineName: "Task {} + await value",
                baseline: .async(ConcurrencyWorkloads.tasks),
                targetRatio: 0.5
            ),
        ]
    }()

    /// Pending maps held at once by the memory measurement.
    static let pendingStages = 1_000_000
    static let checkPendingStages = 100_000
    /// The memory target: heap bytes per pending stage.
    static let pendingStageTarget = 110.0
}
