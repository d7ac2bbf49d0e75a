import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// futures-benchmarks: swift-futures against SwiftNIO's EventLoopFuture (and `Task {}`), side by
/// side in one process.
///
///     futures-benchmarks                 every workload, a Markdown table
///     futures-benchmarks --runs 11       more timed runs per side (median)
///     futures-benchmarks --scale 0.1     a tenth of the operations per run
///     futures-benchmarks --only W1,W4    some workloads
///     futures-benchmarks --check         allocation pins only, no timing; exits 1 on a regression
///     futures-benchmarks --profile W1 ours|nio [operations]
///                                        one run of one side, for callgrind
struct Options: Sendable {
    var runs = 7
    var scale = 1.0
    var only: Set<String>?
    var check = false
    var profile: (id: String, side: String, operations: Int?)?

    init(_ arguments: [String]) {
        var index = 0
        func next() -> String {
            index += 1
            guard index < arguments.count else { usage("missing value after \(arguments[index - 1])") }
            return arguments[index]
        }
        while index < arguments.count {
            switch arguments[index] {
            case "--runs": runs = Int(next()) ?? { usage("--runs takes a number") }()
            case "--scale": scale = Double(next()) ?? { usage("--scale takes a number") }()
            case "--only": only = Set(next().split(separator: ",").map(String.init))
            case "--check": check = true
            case "--profile":
                let id = next()
                let side = next()
                var operations: Int?
                if index + 1 < arguments.count, let value = Int(arguments[index + 1]) {
                    operations = value
                    index += 1
                }
                profile = (id, side, operations)
            default: usage("unknown argument \(arguments[index])")
            }
            index += 1
        }
    }
}

func usage(_ message: String) -> Never {
    print("futures-benchmarks: \(message)")
    print("usage: futures-benchmarks [--runs N] [--scale X] [--only W1,W2] | --check | --profile ID ours|nio [N]")
    exit(2)
}

let options = Options(Array(CommandLine.arguments.dropFirst()))

// Profiling runs one side once, synchronously, so that valgrind sees no async main.
if let profile = options.profile {
    if profile.id == "memory" {
        let build = profile.side == "ours" ? FuturesWorkloads.pendingStages : NIOWorkloads.pendingStages
        let memory = heapBytesPerStage(profile.operations ?? Suite.pendingStages, build)
        print("heap bytes per pending stage: \(format(memory.heap, 1)), requested: \(format(memory.requested, 1))")
        exit(0)
    }
    guard let workload = Suite.workloads.first(where: { $0.id == profile.id }) else {
        usage("no workload \(profile.id)")
    }
    guard case .sync(let body) = profile.side == "ours" ? workload.ours : workload.baseline else {
        usage("\(profile.id) \(profile.side) is async; it cannot be profiled synchronously")
    }
    print("checksum \(body(profile.operations ?? workload.operations))")
    exit(0)
}

/// The measuring runs as a detached task (the `Task {}` baseline needs an async context); the
/// main thread waits for it.
let finished = DispatchSemaphore(value: 0)
Task.detached {
    if options.check {
        let passed = await checkAllocations()
        print(passed ? "allocation check passed" : "allocation check FAILED")
        exit(passed ? 0 : 1)
    }
    await printTable(options)
    finished.signal()
}
finished.wait()
exit(0)
