import Futures

// A weather app whose older code returns futures and whose newer code is async/await.
// The two halves call each other both ways, and cancellation crosses the bridge.

enum WeatherError: Error {
    case unknownCity(String)
}

let atlas = ["Lisbon": (38.72, -9.14), "Oslo": (59.91, 10.75), "Paris": (48.86, 2.35)]
let temperatures = ["Lisbon": 21, "Oslo": 4, "Paris": 17]

// MARK: - The future-based half

/// Looks a city up on a worker pool: the older, synchronous code, exposed as a future.
func coordinates(of city: String, on pool: ThreadPoolExecutor) -> Future<(Double, Double)> {
    Future.async(on: pool) {
        guard let position = atlas[city] else { throw WeatherError.unknownCity(city) }
        return position
    }
}

// MARK: - The async half

/// Fetches a temperature: the newer, async code.
func temperature(in city: String) async throws -> Int {
    await Task.yield()
    guard let degrees = temperatures[city] else { throw WeatherError.unknownCity(city) }
    return degrees
}

/// A download that takes a very long time, unless its task is cancelled.
func downloadRadarImage(started: Promise<Void>, stopped: Promise<String>) async throws -> [UInt8] {
    started.succeed(())
    do {
        try await Task.sleep(for: .seconds(3_600))
        return []
    } catch {
        stopped.succeed("the download saw \(type(of: error)), Task.isCancelled = \(Task.isCancelled)")
        throw error
    }
}

let pool = ThreadPoolExecutor(threadCount: 2)

print("1. Awaiting futures from async code")
let (latitude, longitude) = try await coordinates(of: "Lisbon", on: pool).value
print("   Lisbon is at \(latitude), \(longitude)")
do {
    _ = try await coordinates(of: "Atlantis", on: pool).value
} catch let error as WeatherError {
    print("   caught \(error), the original error")
}

print("2. Wrapping async functions in futures")
let lisbon = Future { try await temperature(in: "Lisbon") }
    .map { "\($0) °C" }
print("   Lisbon: \(try await lisbon.value)")
let pair = Future { try await temperature(in: "Paris") }
    .and(Future(Task { try await temperature(in: "Oslo") }))
let (paris, oslo) = try await pair.value
print("   Paris and Oslo: \(paris) °C and \(oslo) °C")
let missing = Future { try await temperature(in: "Atlantis") }
_ = try? await missing.value
print("   Atlantis failed in: \(missing.traceback!.frames.map(\.operation))")

print("3. Cancelling a future cancels its task")
let started = Promise<Void>()
let stopped = Promise<String>()
let radar = Future { try await downloadRadarImage(started: started, stopped: stopped) }
try await started.future.value
print("   cancel() returned \(radar.cancel()); isCancelled = \(radar.isCancelled)")
print("   \(try await stopped.future.value)")

print("4. A cancelled waiter does not cancel the future")
let answer = Promise<Int>()
let waiter = Task { try await answer.future.value }
waiter.cancel()
let waiterResult = await waiter.result
print("   the waiter got \(waiterResult); the future is still pending: \(answer.future.isPending)")
answer.succeed(42)
print("   another observer gets \(try await answer.future.value)")

print("5. Pool work checks for cancellation when it chooses to")
let scanStarted = Promise<Void>()
let checkpoint = Promise<Void>()
let scan = Future.async(on: pool) { cancellation -> Int in
    scanStarted.succeed(())
    checkpoint.future.wait()
    try cancellation.checkCancellation()
    return 100
}
try await scanStarted.future.value
print("   cancel() on running work returned \(scan.cancel()); isCancelRequested = \(scan.isCancelRequested)")
checkpoint.succeed(())
_ = try? await scan.value
print("   the work stopped itself: isCancelled = \(scan.isCancelled)")

/// Waits for the pool's threads to exit: blocking, so called from a synchronous function, not
/// from async code directly.
func terminate(_ pool: ThreadPoolExecutor) -> Bool {
    pool.shutdown()
    return pool.awaitTermination(timeout: .seconds(10))
}
print("pool terminated: \(terminate(pool))")
