// A checkout pipeline: load an order, parse it, price every line on a background queue, apply a
// discount, and turn failures into readable messages. Run it with `swift run example-pipeline`.
import Dispatch
import Futures

struct Order: Sendable {
    let id: Int
    let lines: [(item: String, quantity: Int)]
}

enum CheckoutError: Error, CustomStringConvertible {
    case malformed(String)
    case unknownItem(String)

    var description: String {
        switch self {
        case .malformed(let text): "malformed order line '\(text)'"
        case .unknownItem(let item): "unknown item '\(item)'"
        }
    }
}

/// A price service that answers on its own queue, as a network client would.
struct PriceService: Sendable {
    let queue = DispatchQueue(label: "prices")
    let catalogue = ["apple": 30, "pear": 45, "fig": 120]

    func price(of item: String) -> Future<Int> {
        let promise = Promise<Int>()
        queue.execute {
            if let price = catalogue[item] {
                promise.succeed(price)
            } else {
                promise.fail(CheckoutError.unknownItem(item))
            }
        }
        return promise.future
    }
}

let rawOrders = [
    1: "apple x3, pear x2",
    2: "fig x1, apple x10",
    3: "pear x1, kiwi x4",
    4: "apple three",
]

func loadOrder(_ id: Int) -> Future<String> {
    Future.async(on: DispatchQueue.global()) { rawOrders[id] ?? "" }
}

func parse(id: Int, text: String) throws -> Order {
    let lines = try text.split(separator: ",").map { part -> (item: String, quantity: Int) in
        let fields = part.split(separator: " x")
        guard fields.count == 2, let quantity = Int(fields[1]) else {
            throw CheckoutError.malformed(part.trimmingCharacters())
        }
        return (String(fields[0]).trimmingCharacters(), quantity)
    }
    return Order(id: id, lines: lines)
}

/// Prices each line in turn: each step is a future chained into the previous one.
func total(of order: Order, using prices: PriceService) -> Future<Int> {
    order.lines.reduce(Future.succeeded(0)) { sum, line in
        sum.flatMap { subtotal in
            prices.price(of: line.item).map { subtotal + $0 * line.quantity }
        }
    }
}

func checkout(_ id: Int, prices: PriceService) -> Future<String> {
    loadOrder(id)
        .map { try parse(id: id, text: $0) }
        .flatMap { total(of: $0, using: prices) }
        .map { cents in cents >= 400 ? cents * 9 / 10 : cents }  // 10 % off large orders
        .map { cents in "order \(id): total \(cents / 100).\(String(cents % 100).leftPadded(to: 2))" }
        .recover { error in "order \(id): rejected, \(error)" }
}

let prices = PriceService()
let receipts = rawOrders.keys.sorted().map { checkout($0, prices: prices) }
for receipt in receipts {
    print(try receipt.get(timeout: .seconds(10)))
}

extension StringProtocol {
    func trimmingCharacters() -> String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }

    func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: Swift.max(0, width - count)) + self
    }
}
