import Futures
import NIOCore

// MARK: - From EventLoopFuture

extension Future {
    /// Creates a future that completes with the outcome of a SwiftNIO `EventLoopFuture`.
    ///
    /// ```swift
    /// let response = Future(client.execute(request))  // EventLoopFuture<Response> -> Future<Response>
    /// let body = response.map { try decode($0.body) }
    /// ```
    ///
    /// The future completes on the event loop's thread, when the `EventLoopFuture` does, so
    /// `.inline` continuations run there; give them an executor to run elsewhere. Chains of any
    /// length, bridged back and forth, complete without deep recursion.
    ///
    /// A failure starts a new traceback (NIO carries none): its first frame has the operation
    /// `"bridge"`, the role `.raised` and this call site; the error is NIO's, unchanged, so
    /// `catch let error as ChannelError` keeps working.
    ///
    /// `EventLoopFuture` has no cancellation: ``Futures/Future/cancel(fileID:line:function:)`` on
    /// the result completes it with `CancellationError` at once and leaves the NIO work running; its
    /// outcome is then ignored. A NIO promise that is never completed is NIO's bug to report (a
    /// "leaking promise" crash in debug builds); in release builds this future then stays pending
    /// until the `EventLoopFuture` is released, and its callbacks then fail with
    /// `FutureError.Code.abandoned`.
    ///
    /// - Parameters:
    ///   - eventLoopFuture: The NIO future whose outcome to adopt.
    ///   - fileID: The file of the call site, for the bridge's traceback frame; defaults to the caller's.
    ///   - line: The line of the call site; defaults to the caller's.
    ///   - function: The function of the call site; defaults to the caller's.
    public convenience init(
        _ eventLoopFuture: EventLoopFuture<Value>,
        fileID: StaticString = #fileID,
        line: UInt = #line,
        function: StaticString = #function
    ) {
        self.init(
            fileID: fileID,
            line: line,
            function: function,
            bridging: { complete in eventLoopFuture.whenComplete(complete) }
        )
    }
}

// MARK: - To EventLoopFuture

extension Future {
    /// Returns an `EventLoopFuture` on `eventLoop` that completes with this future's outcome.
    ///
    /// ```swift
    /// func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    ///     let reply = cache.lookUp(key)  // Future<String>
    ///         .eventLoopFuture(on: context.eventLoop)
    ///     reply.whenSuccess { context.writeAndFlush(self.wrapOutboundOut($0), promise: nil) }
    /// }
    /// ```
    ///
    /// The `EventLoopFuture` completes on `eventLoop`'s thread, as NIO requires: the completion hops
    /// there when this future completes elsewhere.
    ///
    /// A failure reaches NIO as the original error; NIO has no traceback, so the frames stay with
    /// this future (read them from ``Futures/Future/traceback``). A cancelled future fails the
    /// `EventLoopFuture` with `CancellationError`; a future whose promise was released unfulfilled
    /// fails it with `FutureError.Code.abandoned`. So the NIO promise made here is always completed.
    ///
    /// - Parameters:
    ///   - eventLoop: The loop that the `EventLoopFuture` belongs to.
    ///   - fileID: The file of the call site, which NIO records for its leaked-promise reports;
    ///     defaults to the caller's.
    ///   - line: The line of the call site; defaults to the caller's.
    /// - Returns: An `EventLoopFuture` with this future's outcome.
    public func eventLoopFuture(
        on eventLoop: any EventLoop,
        fileID: StaticString = #fileID,
        line: UInt = #line
    ) -> EventLoopFuture<Value> {
        let promise = eventLoop.makePromise(of: Value.self, file: fileID, line: line)
        promise.completeWith(self)
        return promise.futureResult
    }
}

// MARK: - Completing an EventLoopPromise

extension EventLoopPromise where Value: Sendable {
    /// Completes this promise with the outcome of a swift-futures ``Futures/Future``, when it completes.
    ///
    /// ```swift
    /// func handshake(promise: EventLoopPromise<Session>) {
    ///     promise.completeWith(authenticator.authenticate(credentials))  // a Future<Session>
    /// }
    /// ```
    ///
    /// The promise is completed on its loop's thread, as NIO requires. A failure reaches NIO as
    /// the original error, without its traceback (NIO has none); a cancelled future fails the
    /// promise with `CancellationError`; a future whose promise was released unfulfilled fails it
    /// with `FutureError.Code.abandoned`, so this promise never leaks.
    ///
    /// - Parameter future: The future whose outcome completes this promise.
    public func completeWith(_ future: Future<Value>) {
        future.onComplete { result in
            self.completeWith(result)
        }
    }
}
