import Foundation
import Futures
import Testing

@Suite("completionOrder")
struct CompletionOrderTests {
    @Test("completionOrder gives done inputs first in input order, then the others as they complete")
    func order() throws {
        let late = Promise<Int>()
        let early = Promise<Int>()
        let inputs = [late.future, Future.succeeded(1), early.future]
        var order = completionOrder(inputs, timeout: .seconds(30))
        #expect(try order.next() === inputs[1])
        early.succeed(2)
        #expect(try order.next() === early.future)
        Thread.detachNewThread { late.succeed(3) }
        #expect(try order.next() === late.future)
        #expect(try order.next() == nil)
    }

    @Test("completionOrder throws timedOut when the deadline passes with inputs left")
    func timesOut() throws {
        let pending = Promise<Int>()
        var order = completionOrder([Future.succeeded(1), pending.future], timeout: .milliseconds(20))
        #expect(try order.next()?.isSucceeded == true)
        #expect {
            try order.next()
        } throws: { ($0 as? FutureError)?.code == .timedOut }
        #expect(pending.future.isPending, "timing out cancels no input")
        pending.succeed(2)
    }

    @Test("completionOrder over no input ends at once")
    func empty() throws {
        var order = completionOrder([Future<Int>]())
        #expect(try order.next() == nil)
    }

    @Test("an iteration dropped early removes its callbacks from the pending inputs")
    func droppedEarly() throws {
        let pending = Promise<Int>()
        do {
            var order = completionOrder([pending.future, Future.succeeded(1)])
            #expect(try order.next()?.isSucceeded == true)
        }
        #expect(pending.future.registeredCallbackCount == 0)
        pending.succeed(2)
    }
}
