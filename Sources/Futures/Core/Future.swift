// All mutable state (`state`, `flags`) is read and written only under the lock stripe of this
// object (`LockStripes.mutex(for: self)`). No locked section locks another stripe, runs user code or
// releases anything a user may own: callbacks taken or removed under the lock are run or dropped
// after it (debug builds assert this, see `lockStripe()`).
/// The read side of an asynchronous result: a value or an error that arrives later.
///
/// A future starts pending and completes exactly once. Build pipelines with ``map(on:fileID:line:function:_:)``,
/// ``flatMap(on:fileID:line:function:_:)`` and `continueWith`,
/// observe it with ``onComplete(on:_:)``, or wait for it with ``get(timeout:)`` or ``value``.
///
/// ```swift
/// let promise = Promise<Int>()
/// let answer = promise.future
///     .map { $0 * 2 }
///     .flatMap { lookUp($0) }
/// promise.succeed(21)
/// print(try answer.get())
/// ```
///
/// A failure carries a ``Traceback`` naming where it was raised and every stage it crossed.
///
/// Futures are thread-safe. Every continuation runs on the executor you pass (`.inline` by
/// default); no lock is held while user code runs, and completion drains through a loop, so chains
/// of any length complete without deep recursion.
public final class Future<Value: Sendable>: @unchecked Sendable {
    @usableFromInline
    enum State {
        case pending(CallbackList<Value>)
        case done(Outcome<Value>)
    }

    // Every access holds the lock stripe (see above), so the runtime's dynamic exclusivity checks
    // are redundant.
    @usableFromInline @exclusivity(unchecked) var state: State
    @usableFromInline @exclusivity(unchecked) var flags: FutureFlags = []
    /// Whether a `WorkRecord` is registered for this future; immutable, so read without the lock.
    @usableFromInline let hasWorkRecord: Bool
    /// Where this future was made; the frame it adds to a failure that passes through it.
    @usableFromInline let site: CallSite

    @inlinable
    init(site: CallSite) {
        self.state = .pending(CallbackList())
        self.site = site
        self.hasWorkRecord = false
    }

    /// Creates a pending future for work submitted with `Future.async`, with its record.
    init(site: CallSite, work: WorkRecord) {
        self.state = .pending(CallbackList())
        self.site = site
        self.hasWorkRecord = true
        WorkRecord.register(work, for: self)
    }

    @inlinable
    init(site: CallSite, outcome: Outcome<Value>) {
        self.state = .done(outcome)
        self.site = site
        self.hasWorkRecord = false
    }

    deinit {
        LockStripes.assertNoStripeHeld()
        if hasWorkRecord {
            WorkRecord.unregister(for: self)
        }
        if case .pending(let callbacks) = state, !callbacks.isEmpty {
            Self.abandon(callbacks, createdAt: site)
        }
    }

    /// Fails the callbacks of a future released while pending, which nothing can complete any more
    /// (for example `Future.async` work dropped by an executor that was itself released).
    ///
    /// The callbacks receive a stand-in future that failed with ``FutureError/Code/abandoned``, so
    /// nothing downstream hangs. They run through the trampoline, so releasing a long pending chain
    /// unwinds in a loop instead of recursing once per link.
    private static func abandon(_ callbacks: CallbackList<Value>, createdAt site: CallSite) {
        let error = FutureError(
            code: .abandoned,
            message: "the future created at \(site.fileID):\(site.line) in \(site.function) was released "
                + "before it completed"
        )
        let outcome = Outcome<Value>.raised(error, at: site)
        let standIn = Future(site: site, outcome: outcome)
        Trampoline.submit { callbacks.runAll(outcome, from: standIn) }
    }

    /// Timing and identity of work submitted with `Future.async`, `nil` for other futures.
    ///
    /// Kept in a side table rather than a stored property, so that the futures of ordinary
    /// stages stay small.
    var work: WorkRecord? {
        hasWorkRecord ? WorkRecord.record(for: self) : nil
    }

    @usableFromInline
    func finishWork() {
        work?.finish()
    }

    // MARK: - Locking

    @inlinable
    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        let mutex = LockStripes.mutex(for: self)
        mutex.lockStripe()
        defer { mutex.unlockStripe() }
        return try body()
    }

    // MARK: - Completing

    /// Completes the future; returns `false` and changes nothing if it was already complete.
    ///
    /// The callbacks are taken out under the lock and run right after it, on this thread, through
    /// the trampoline.
    @inlinable
    @discardableResult
    func complete(_ outcome: Outcome<Value>) -> Bool {
        let mutex = LockStripes.mutex(for: self)
        mutex.lockStripe()
        guard case .pending(let callbacks) = state else {
            mutex.unlockStripe()
            return false
        }
        flags.remove(.running)
        state = .done(outcome)
        mutex.unlockStripe()
        if hasWorkRecord { finishWork() }
        if !callbacks.isEmpty {
            Trampoline.deliver(callbacks, outcome, from: self)
        }
        return true
    }

    /// Completes with `outcome`, adding this future's frame to a failure that passes through.
    @inlinable
    @discardableResult
    func complete(passingThrough outcome: Outcome<Value>) -> Bool {
        switch outcome {
        case .success:
            return complete(outcome)
        case .failure(let failure):
            return complete(.passedThrough(failure, at: site))
        }
    }

    /// Fails the future with `error` raised at this future's own stage.
    @inlinable
    @discardableResult
    func fail(raising error: any Error) -> Bool {
        complete(.raised(error, at: site))
    }

    /// Completes with the outcome of `other` when it completes: flattening and `complete(with:)`.
    @inlinable
    func adopt(_ other: Future<Value>) {
        precondition(other !== self, "A future cannot adopt its own outcome; it would never complete.")
        if let outcome = other.doneOutcome {
            complete(passingThrough: outcome)
        } else {
            other.register(
                Callback(target: self) { outcome, _, entry in
                    entry.target(as: Future<Value>.self).complete(passingThrough: outcome)
                }
            )
        }
    }

    // MARK: - Callbacks

    /// Registers `callback`; if the future is already done, runs it at once through the trampoline.
    ///
    /// A `removable` callback gets a fresh token, taken before the lock, which is returned;
    /// otherwise the result is 0.
    @inlinable
    @discardableResult
    func register(_ callback: Callback<Value>, removable: Bool = false) -> UInt32 {
        var callback = callback
        if removable { callback.token = CallbackTokens.next() }
        let mutex = LockStripes.mutex(for: self)
        mutex.lockStripe()
        switch state {
        case .pending(var callbacks):
            state = .pending(CallbackList())  // drop the state's reference, so that appending does not copy
            callbacks.append(callback)
            state = .pending(callbacks)
            mutex.unlockStripe()
        case .done(let outcome):
            mutex.unlockStripe()
            Trampoline.runOrQueue(
                { callback.run(outcome, from: self) },
                orQueue: { [callback] in { callback.run(outcome, from: self) } }
            )
        }
        return callback.token
    }

    /// Registers an internal callback written as a struct (boxed: one allocation).
    func register(_ callback: some FutureCallback<Value>) {
        register(FutureCallbackBox.entry(callback))
    }

    /// Registers an internal closure callback, without boxing it.
    func register(_ callback: ClosureCallback<Value>) {
        register(callback.entry)
    }

    /// Registers the callback `make` builds, with a fresh token that `make` receives; returns it.
    func register<C: FutureCallback<Value>>(removable: Bool, _ make: (UInt32) -> C) -> UInt32 {
        guard removable else { return register(FutureCallbackBox.entry(make(0))) }
        let token = CallbackTokens.next()
        var entry = FutureCallbackBox.entry(make(token))
        entry.token = token
        register(entry)
        return token
    }

    /// Registers `callback` for a consumer that may stop caring before this future completes.
    ///
    /// The consumer owns the returned registration and cancels it when it gives up (a timeout, a
    /// cancelled task, a decided race), so that nothing it left behind stays on this future.
    func register(owned callback: some FutureCallback<Value>) -> Registration {
        var entry = FutureCallbackBox.entry(callback)
        entry.token = CallbackTokens.next()
        return Registration(future: self, token: register(entry))
    }

    /// Registers an internal closure callback for a consumer that may give up; see
    /// ``register(owned:)-(FutureCallback)``.
    func register(owned callback: ClosureCallback<Value>) -> Registration {
        var entry = callback.entry
        entry.token = CallbackTokens.next()
        return Registration(future: self, token: register(entry))
    }

    /// Removes the callback registered with `token` if it has not been handed over to run yet.
    ///
    /// The removed entry is released after the lock: its closure may hold the last reference to
    /// something whose release runs user code (a promise, which then abandons its future).
    func removeCallback(token: UInt32) -> Bool {
        guard token != 0 else { return false }
        let removed: Callback<Value>? = withLock {
            switch state {
            case .pending(var callbacks):
                state = .pending(CallbackList())
                let removed = callbacks.remove(token: token)
                state = .pending(callbacks)
                return removed
            case .done:
                return nil
            }
        }
        return removed != nil
    }

    /// How many callbacks are registered and waiting; 0 once done.
    ///
    /// A hook for leak tests.
    package var registeredCallbackCount: Int {
        withLock {
            if case .pending(let callbacks) = state { return callbacks.count }
            return 0
        }
    }

    // MARK: - Reading state

    /// The outcome, if the future is complete.
    @inlinable
    var doneOutcome: Outcome<Value>? {
        let mutex = LockStripes.mutex(for: self)
        mutex.lockStripe()
        defer { mutex.unlockStripe() }
        if case .done(let outcome) = state { return outcome }
        return nil
    }

    var currentFlags: FutureFlags { withLock { flags } }

    /// Marks submitted work as started; `false` if the future completed (was cancelled) first.
    func markRunning() -> Bool {
        withLock {
            // A cancel request that found the work not started completes the future right after
            // releasing the lock: the work must not start in between.
            guard case .pending = state, !flags.contains(.cancelRequested) else { return false }
            flags.insert(.running)
            return true
        }
    }

    /// Marks a promise's future as following another future.
    ///
    /// Releasing the promise then does not abandon it. Returns `false` if it is already complete.
    func markAdopting() -> Bool {
        withLock {
            guard case .pending = state else { return false }
            flags.insert(.adopting)
            return true
        }
    }

    /// Sets the cancel-requested flag and, if the future is pending and not running, fails it
    /// with `CancellationError`.
    func requestCancel(at site: CallSite) -> Bool {
        let shouldCancel: Bool = withLock {
            flags.insert(.cancelRequested)
            guard case .pending = state, !flags.contains(.running) else { return false }
            return true
        }
        guard shouldCancel else { return false }
        return complete(.raised(CancellationError(), at: site))
    }
}

/// Status bits of a future besides its state.
@usableFromInline
struct FutureFlags: OptionSet {
    @usableFromInline let rawValue: UInt8

    @inlinable
    init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    @inlinable static var running: FutureFlags { FutureFlags(rawValue: 1 << 0) }
    @inlinable static var cancelRequested: FutureFlags { FutureFlags(rawValue: 1 << 1) }
    @inlinable static var adopting: FutureFlags { FutureFlags(rawValue: 1 << 2) }
}
