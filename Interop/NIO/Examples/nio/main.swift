// A SwiftNIO-based client wrapped into a swift-futures pipeline: quotes arrive as EventLoopFutures,
// are combined with `combineFutures` on the event loop, and the total goes back to NIO as an
// EventLoopFuture. A failed quote prints a traceback that starts at the bridge.
// Run it with `swift run --package-path Interop/NIO example-nio`.
import Futures
import FuturesNIO
import NIOCore
import NIOPosix

enum QuoteError: Error {
    case unknownSymbol(String)
}

/// A stand-in for a NIO-based client: it answers on its event loop a little later.
struct QuoteClient: Sendable {
    let eventLoop: any EventLoop
    let prices = ["AAPL": 230, "MSFT": 415, "SWFT": 6]

    func fetchQuote(_ symbol: String) -> EventLoopFuture<Int> {
        eventLoop.flatScheduleTask(in: .milliseconds(5)) { [prices, eventLoop] in
            guard let price = prices[symbol] else {
                return eventLoop.makeFailedFuture(QuoteError.unknownSymbol(symbol))
            }
            return eventLoop.makeSucceededFuture(price)
        }.futureResult
    }
}

let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
let loop = group.next()
let client = QuoteClient(eventLoop: loop)

/// One quote, bridged from NIO: a failure's traceback starts here.
func quote(_ symbol: String) -> Future<Int> {
    Future(client.fetchQuote(symbol))
}

/// The value of some holdings: every quote at once, combined in input order, within a deadline.
func portfolioValue(_ holdings: [(symbol: String, shares: Int)]) -> Future<Int> {
    let positions = holdings.map { holding in
        quote(holding.symbol).map(on: loop.futureExecutor) { $0 * holding.shares }
    }
    return combineFutures(positions)
        .map { $0.reduce(0, +) }
        .timeout(after: .seconds(10), on: loop.futureExecutor)
}

// Back to NIO: an EventLoopFuture that a channel handler could write out.
let total = portfolioValue([("AAPL", 10), ("MSFT", 2), ("SWFT", 100)]).eventLoopFuture(on: loop)
print("Portfolio value: \(try total.wait())")

let broken = portfolioValue([("AAPL", 10), ("NOPE", 1), ("SWFT", 100)])
broken.wait()
if let traceback = broken.traceback {
    print()
    print("A quote failed:")
    print(traceback)
}
do {
    _ = try broken.eventLoopFuture(on: loop).wait()
} catch {
    print()
    print("NIO sees the original error, without the traceback: \(error)")
}

try group.syncShutdownGracefully()
