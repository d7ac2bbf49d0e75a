import Dispatch
import Futures
import Testing

// The samples of README.md and of the DocC articles, copied into functions so that CI
// compiles them; the stubs at the bottom stand in for the app code the samples call. When a
// sample changes in its document, change it here too. The tests run the samples whose output the
// documents state.

// MARK: - README.md

private enum ReadmeSample {
    struct OutOfStock: Error { let item: String }

    static let pool = ThreadPoolExecutor(threadCount: 2)

    static func price(of item: String) -> Future<Int> {
        Future.async(on: pool) {  // runs on a pool thread
            guard item != "kiwi" else { throw OutOfStock(item: item) }
            return item.count * 15
        }
    }

    static func basket(_ first: String, _ second: String) -> Future<String> {
        price(of: first)
            .and(price(of: second))  // both prices, in argument order
            .map { $0 + $1 }  // a thrown error would fail it
            .flatMap { cents in Future.succeeded("total \(cents) cents") }
    }

    /// The README's top-level code, returning what it prints.
    static func main() throws -> (total: String, traceback: Traceback?) {
        let total = try basket("apple", "pear").get(timeout: .seconds(5))  // total 135 cents

        let failed = basket("apple", "kiwi")
        failed.wait(timeout: .seconds(5))
        return (total, failed.traceback)  // where the error was raised, and every stage it crossed
    }
}

// MARK: - Chaining futures

private func chainingOverview(id: Int) -> Future<String> {
    let summary = fetchUser(id)
        .flatMap { user in fetchOrders(for: user) }
        .map { orders in orders.count }
        .continueWith { done in
            done.isSucceeded ? "\(try done.get()) orders" : "unavailable"
        }
    return summary
}

private func chainingPipeline() -> Future<String> {
    let receipt = loadOrder(42)  // Future<String>
        .map { try parse($0) }  // Future<Order>; a throw fails it
        .flatMap { order in price(order) }  // Future<Int>, chained in
        .map(on: DispatchQueue.global()) { format($0) }  // runs on the queue
        .recover { error in "rejected: \(error)" }  // a failure becomes a value
    return receipt
}

// MARK: - Combining futures

private func combiningShards() throws {
    // [Future<[String]>], one per shard
    let shards = (0..<5).map { shard in queryShard(shard, for: "swift") }

    // Future<[[String]]>, in shard order, flattened
    let hits = combineFutures(shards).map { $0.flatMap { $0 } }

    // arguments of any types
    let (user, settings) = try combineFutures(fetchUser(), fetchSettings()).get()

    // the first success
    let fastest = firstSucceeded([primary.fetch(key), replica.fetch(key)])
    _ = (hits, user, settings, fastest)
}

// MARK: - Bridging to async/await

private func showProfile(id: Int) async {
    do {
        let profile = try await fetchProfile(id).value  // fetchProfile returns Future<Profile>
        print(profile.name)
    } catch let error as HTTPError {
        print("the server said \(error.status)")
    } catch {
        print("failed: \(error)")
    }
}

private func bridgingWrap() {
    let temperature = Future { try await weather.temperature(in: "Lisbon") }
        .map { "\($0) °C" }
    temperature.onSuccess { print($0) }
}

private func bridgingTask() -> Future<Int> {
    let download = Task { try await session.data(from: url).0 }
    let size = Future(download).map { $0.count }
    return size
}

private func bridgingCancelFuture() -> Bool {
    let radar = Future { try await downloadRadarImage() }
    return radar.cancel()  // true: radar.isCancelled, and the download's Task.sleep throws
}

/// Returns the awaiting task's result and whether the future was still pending after it ended.
private func bridgingCancelTask() async -> (Result<Int, any Error>, Bool) {
    let answer = Promise<Int>()
    let waiter = Task { try await answer.future.value }
    waiter.cancel()
    let result = await waiter.result  // failure(CancellationError())
    let pending = answer.future.isPending  // true: the future goes on
    answer.succeed(42)  // other observers still get 42
    return (result, pending)
}

private func bridgingCancellationHandler() async throws -> String {
    let report = buildReport()
    let text = try await withTaskCancellationHandler {
        try await report.value
    } onCancel: {
        report.cancel()
    }
    return text
}

private func bridgingBlockingWork() async throws -> UInt32 {
    let pool = ThreadPoolExecutor(threadCount: 4)

    func checksum(of path: String) async throws -> UInt32 {
        try await Future.async(on: pool) { try crc32(ofFileAt: path) }.value
    }
    return try await checksum(of: path)
}

// MARK: - Reading a traceback

private func tracebackLogging() {
    let report = buildReport()
    report.onFailure { error in
        log("report failed: \(error)")
        if let traceback = report.traceback {
            log(traceback.description)  // a Python-style report
        }
    }
}

// MARK: - Choosing an executor

private func executorPool() throws {
    let pool = ThreadPoolExecutor(threadCount: 4)

    let index = Future.async(on: pool) { try loadIndex(at: path) }  // blocking work
    let entries = index.map(on: pool) { $0.entries.count }  // continues on the pool
    print(try entries.get(timeout: .seconds(10)))

    pool.shutdown()
    pool.awaitTermination()
}

private func executorCancellation(pool: ThreadPoolExecutor) -> Future<Int> {
    let scan = Future.async(on: pool) { cancellation in
        var matches = 0
        for file in files {
            try cancellation.checkCancellation()  // throws CancellationError once cancel() was called
            if try contains(term, file) { matches += 1 }
        }
        return matches
    }
    return scan
}

private func executorBlockingInsideAJob() -> Future<Int> {
    let single = ThreadPoolExecutor(threadCount: 1)
    let outer = Future.async(on: single) { () throws -> Int in
        let inner = Future.async(on: single) { 21 }  // queued behind the running job
        return try inner.get() * 2  // runs `inner` on this thread: 42
    }
    return outer
}

private struct LoggingExecutor: FutureExecutor {
    let base: DispatchQueue
    func execute(_ job: @escaping @Sendable () -> Void) {
        print("submitting a job")
        base.async(execute: job)
    }
}

// MARK: - Cancellation

private func cancellationOverview() {
    let pool = ThreadPoolExecutor(threadCount: 2)
    let scan = Future.async(on: pool) { cancellation in
        var found: [String] = []
        for file in files {
            try cancellation.checkCancellation()  // stops at the next file once cancelled
            if try matches(file) { found.append(file) }
        }
        return found
    }

    // The user closed the search window:
    if scan.cancel() {
        print("the scan never started")
    } else {
        print("the scan is running and will stop at the next file")  // scan.isCancelRequested
    }
}

// MARK: - Tests

@Suite("Documentation samples")
struct DocSamplesTests {
    @Test("the README's sample totals the basket and explains the kiwi's failure")
    func readme() throws {
        let (total, traceback) = try ReadmeSample.main()
        #expect(total == "total 135 cents")
        let frames = try #require(traceback?.frames)
        #expect(frames.map(\.operation) == ["Future.async", "and", "map", "flatMap"])
        #expect(frames[0].role == .raised)
        #expect(frames[1].inputIndex == 1)
        #expect(traceback?.error is ReadmeSample.OutOfStock)
    }

    @Test("a job blocking on work queued behind it on a one-thread pool gets 42")
    func blockingInsideAJob() throws {
        #expect(try executorBlockingInsideAJob().get(timeout: .seconds(10)) == 42)
    }

    @Test(
        "cancelling the task that awaits a future stops the wait and leaves the future pending",
        .timeLimit(.minutes(1)))
    func cancellingTheAwaitingTask() async {
        let (result, pending) = await bridgingCancelTask()
        #expect(throws: CancellationError.self) { try result.get() }
        #expect(pending)
    }

    @Test("the chaining pipeline turns a parse failure into a value")
    func chainingPipelineRecovers() throws {
        let receipt = try chainingPipeline().get(timeout: .seconds(10))
        #expect(receipt == "rejected: Malformed()")
    }
}

// MARK: - Stubs for the samples

private struct User: Sendable {}
private struct Settings: Sendable {}
private struct Order: Sendable {}
private struct Profile: Sendable { let name: String }
private struct HTTPError: Error { let status: Int }
private struct Malformed: Error {}
private struct Index: Sendable { let entries: [String] }

private func fetchUser(_ id: Int = 0) -> Future<User> { .succeeded(User()) }
private func fetchOrders(for user: User) -> Future<[Order]> { .succeeded([]) }
private func fetchSettings() -> Future<Settings> { .succeeded(Settings()) }
private func fetchProfile(_ id: Int) -> Future<Profile> { .succeeded(Profile(name: "Ada")) }
private func loadOrder(_ id: Int) -> Future<String> { .succeeded("3 apples") }
private func parse(_ text: String) throws -> Order { throw Malformed() }
private func price(_ order: Order) -> Future<Int> { .succeeded(90) }
private func format(_ cents: Int) -> String { "total \(cents)" }
private func queryShard(_ shard: Int, for term: String) -> Future<[String]> { .succeeded([term]) }
private func buildReport() -> Future<String> { .succeeded("report") }
private func downloadRadarImage() async throws -> [UInt8] {
    try await Task.sleep(for: .seconds(60))
    return []
}
private func crc32(ofFileAt path: String) throws -> UInt32 { 0 }
private func loadIndex(at path: String) throws -> Index { Index(entries: []) }
private func contains(_ term: String, _ file: String) throws -> Bool { file.contains(term) }
private func matches(_ file: String) throws -> Bool { false }
private func log(_ message: String) {}

private struct Store: Sendable {
    func fetch(_ key: String) -> Future<String> { .succeeded(key) }
}
private let primary = Store()
private let replica = Store()
private let key = "key"
private let files = ["a.txt", "b.txt"]
private let term = "swift"
private let path = "/tmp/index"
private let url = "https://example.com/radar.png"

private enum weather {
    static func temperature(in city: String) async throws -> Double { 21 }
}

private enum session {
    static func data(from url: String) async throws -> ([UInt8], Int) { ([], 200) }
}
