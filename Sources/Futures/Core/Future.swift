import Synchronization

#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

// A future's state is one atomic word (`word`, see `FutureWord`): pending or done, a few status
// flags, and a BUSY bit that a thread sets with one compare-and-swap to own `storage` for a few
// instructions. `storage` holds the registered callbacks while pending and the outcome once done;
// it is written only by the thread that set BUSY and published by the store that clears it
// (release), and read by others only after they load DONE (acquire), when it no longer changes.
// No thread holds BUSY while it runs user code or releases anything a user may own: callbacks
// taken or removed are run or dropped after the word is stored back. Other threads that find BUSY
// yield until it clears; they never wait on user code.
//
// Destroying a future needs no generic metadata look-up: every stored property has a fixed,
// non-generic type, and `deinit` destroys the value in `storage` through `Value`'s own metadata,
// which the class metadata holds. `Future.async` work keeps its callbacks and outcome in its work
// record instead, and `storage` holds the record.
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
    /// The state word: see ``FutureWord``.
    @usableFromInline let word: Atomic<UInt32>
    // Where this future was made; the frame it adds to a failure that passes through it. Stored
    // field by field (see `site`), so that the object stays within 88 bytes.
    @usableFromInline let line: UInt32
    @usableFromInline let fileIDStart: UnsafePointer<UInt8>
    @usableFromInline let functionStart: UnsafePointer<UInt8>
    /// The callbacks while pending, the outcome once done: see ``FutureStorage``.
    @usableFromInline @exclusivity(unchecked) var storage: FutureStorage.Words
    @usableFromInline let operation: Operation

    @inlinable
    init(site: CallSite) {
        word = Atomic(0)
        line = site.line
        fileIDStart = site.fileIDStart
        functionStart = site.functionStart
        storage = FutureStorage.empty
        operation = site.operation
    }

    /// Creates a pending future for work submitted with `Future.async`, whose callbacks and outcome
    /// live in `work`'s storage.
    init(site: CallSite, work: WorkRecord) {
        word = Atomic(FutureWord.hasWorkRecord)
        line = site.line
        fileIDStart = site.fileIDStart
        functionStart = site.functionStart
        storage = FutureStorage.empty
        operation = site.operation
        withUnsafeMutablePointer(to: &storage) {
            _ = UnsafeMutableRawPointer($0).initializeMemory(as: WorkRecord.self, repeating: work, count: 1)
        }
    }

    @inlinable
    init(site: CallSite, outcome: Outcome<Value>) {
        let failed: Bool
        if case .failure = outcome { failed = true } else { failed = false }
        word = Atomic(FutureWord.done | (failed ? FutureWord.failed : 0))
        line = site.line
        fileIDStart = site.fileIDStart
        functionStart = site.functionStart
        storage = FutureStorage.empty
        operation = site.operation
        storeOutcome(outcome)
    }

    deinit {
        LockStripes.assertNoStripeHeld()
        let state = word.load(ordering: .acquiring)
        defer {
            if state & FutureWord.hasWorkRecord != 0 {
                withUnsafeMutablePointer(to: &storage) {
                    _ = UnsafeMutableRawPointer($0).assumingMemoryBound(to: WorkRecord.self).deinitialize(count: 1)
                }
            }
        }
        if state & FutureWord.done != 0 {
            // A trivial value (an `Int`, say) needs no destruction.
            if state & FutureWord.failed != 0 || !_isPOD(Value.self) || !FutureStorage.fitsInline(Value.self) {
                destroyOutcome(failed: state & FutureWord.failed != 0)
            }
        } else if state & FutureWord.hasCallbacks != 0 {
            Self.abandon(takeCallbacks(), createdAt: site)
        }
    }

    /// Where this future was made; the frame it adds to a failure that passes through it.
    @inlinable
    var site: CallSite {
        CallSite(operation: operation, line: line, fileIDStart: fileIDStart, functionStart: functionStart)
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
        Trampoline.submit { Trampoline.runAll(callbacks, outcome, from: standIn, in: ThreadContext.current) }
    }

    /// Timing and identity of work submitted with `Future.async`, `nil` for other futures.
    var work: WorkRecord? {
        guard word.load(ordering: .relaxed) & FutureWord.hasWorkRecord != 0 else { return nil }
        return withUnsafeBytes(of: storage) { $0.load(as: WorkRecord.self) }
    }

    @usableFromInline
    func finishWork() {
        work?.finish()
    }

    // MARK: - The state word

    /// Sets BUSY on a pending word and returns the word as it was; `nil` if the future is done.
    ///
    /// The caller owns `storage` until it stores the word back with ``release(_:)``.
    @inlinable
    func acquire() -> UInt32? {
        var state = word.load(ordering: .relaxed)
        while true {
            if state & FutureWord.done != 0 { return nil }
            if state & FutureWord.busy != 0 {
                FutureWord.pause()
                state = word.load(ordering: .relaxed)
                continue
            }
            let (exchanged, original) = word.compareExchange(
                expected: state, desired: state | FutureWord.busy, successOrdering: .acquiring,
                failureOrdering: .relaxed)
            if exchanged { return state }
            state = original
        }
    }

    /// Stores `state` (which has no BUSY bit), publishing what was written to `storage`.
    @inlinable
    func release(_ state: UInt32) {
        word.store(state, ordering: .releasing)
    }

    /// Changes the flags of the word with `transform` (which returns `nil` to change nothing),
    /// waiting out a BUSY owner; returns the word as it was.
    @inlinable
    func updateFlags(_ transform: (UInt32) -> UInt32?) -> UInt32 {
        var state = word.load(ordering: .relaxed)
        while true {
            if state & FutureWord.busy != 0 {
                FutureWord.pause()
                state = word.load(ordering: .relaxed)
                continue
            }
            guard let desired = transform(state) else { return state }
            let (exchanged, original) = word.compareExchange(
                expected: state, desired: desired, successOrdering: .acquiringAndReleasing,
                failureOrdering: .relaxed)
            if exchanged { return state }
            state = original
        }
    }

    // MARK: - Storage

    /// Runs `body` with the address of the storage that holds the callbacks and the outcome: this
    /// future's own, or its work record's for `Future.async` work (the bit is set at creation and
    /// never changes).
    ///
    /// The address never escapes `body`: the compiler must see every write to `storage` inside an
    /// access to it, or an optimised build may reuse a value it read before the write.
    @inlinable
    @inline(__always)
    func withStorage<R>(_ body: (UnsafeMutableRawPointer) -> R) -> R {
        if word.load(ordering: .relaxed) & FutureWord.hasWorkRecord != 0 {
            return withWorkStorage(body)
        }
        return withUnsafeMutablePointer(to: &storage) { body(UnsafeMutableRawPointer($0)) }
    }

    /// ``withStorage(_:)`` for a body that needs one value: it is passed, not captured, so that
    /// the closure holds no copy of it.
    @inlinable
    @inline(__always)
    func withStorage<A, R>(passing argument: A, _ body: (UnsafeMutableRawPointer, A) -> R) -> R {
        if word.load(ordering: .relaxed) & FutureWord.hasWorkRecord != 0 {
            return withWorkStorage { body($0, argument) }
        }
        return withUnsafeMutablePointer(to: &storage) { body(UnsafeMutableRawPointer($0), argument) }
    }

    @usableFromInline
    func withWorkStorage<R>(_ body: (UnsafeMutableRawPointer) -> R) -> R {
        let record = withUnsafeBytes(of: storage) { $0.load(as: WorkRecord.self) }
        return withUnsafeMutablePointer(to: &record.storage) { body(UnsafeMutableRawPointer($0)) }
    }

    /// Runs `body` with the registered callbacks in `storage`, which the caller owns and the word
    /// says holds some.
    @inlinable
    @inline(__always)
    func withCallbacks<R>(_ body: (UnsafeMutablePointer<CallbackList<Value>>) -> R) -> R {
        assert(MemoryLayout<CallbackList<Value>>.size <= MemoryLayout<FutureStorage.Words>.size)
        return withStorage { body($0.assumingMemoryBound(to: CallbackList<Value>.self)) }
    }

    /// Moves the registered callbacks out of `storage`; the caller owns it and the word says
    /// there are some.
    @inlinable
    func takeCallbacks() -> CallbackList<Value> {
        withCallbacks { $0.move() }
    }

    /// Writes the outcome into `storage`, which the caller owns and which holds nothing.
    @inlinable
    func storeOutcome(_ outcome: Outcome<Value>) {
        withStorage(passing: outcome) { raw, outcome in
            switch outcome {
            case .success(let value):
                if FutureStorage.fitsInline(Value.self) {
                    raw.assumingMemoryBound(to: Value.self).initialize(to: value)
                } else {
                    raw.assumingMemoryBound(to: ValueBox<Value>.self).initialize(to: ValueBox(value))
                }
            case .failure(let node):
                raw.assumingMemoryBound(to: TracebackNode.self).initialize(to: node)
            }
        }
    }

    /// A copy of the outcome in `storage`, which a load of `state` with DONE made readable.
    ///
    /// Readers only read: they take the bytes by value, never the storage's mutable address.
    @inlinable
    func loadOutcome(_ state: UInt32) -> Outcome<Value> {
        if state & FutureWord.hasWorkRecord != 0 {
            return loadWorkOutcome(state)
        }
        return withUnsafeBytes(of: storage) { Self.readOutcome(state, $0.baseAddress.unsafelyUnwrapped) }
    }

    @usableFromInline
    func loadWorkOutcome(_ state: UInt32) -> Outcome<Value> {
        let record = withUnsafeBytes(of: storage) { $0.load(as: WorkRecord.self) }
        return withUnsafeBytes(of: record.storage) { Self.readOutcome(state, $0.baseAddress.unsafelyUnwrapped) }
    }

    @inlinable
    static func readOutcome(_ state: UInt32, _ raw: UnsafeRawPointer) -> Outcome<Value> {
        if state & FutureWord.failed != 0 {
            return .failure(raw.assumingMemoryBound(to: TracebackNode.self).pointee)
        }
        if FutureStorage.fitsInline(Value.self) {
            return .success(raw.assumingMemoryBound(to: Value.self).pointee)
        }
        return .success(raw.assumingMemoryBound(to: ValueBox<Value>.self).pointee.value)
    }

    /// Destroys the outcome in `storage`, once, in `deinit`.
    private func destroyOutcome(failed: Bool) {
        withStorage { raw in
            if failed {
                _ = raw.assumingMemoryBound(to: TracebackNode.self).deinitialize(count: 1)
            } else if FutureStorage.fitsInline(Value.self) {
                _ = raw.assumingMemoryBound(to: Value.self).deinitialize(count: 1)
            } else {
                _ = raw.assumingMemoryBound(to: ValueBox<Value>.self).deinitialize(count: 1)
            }
        }
    }

    // MARK: - Completing

    /// Completes the future; returns `false` and changes nothing if it was already complete.
    ///
    /// The callbacks are taken out of the storage and run right after the word is stored, on this
    /// thread, through the trampoline.
    @inlinable
    @discardableResult
    func complete(_ outcome: Outcome<Value>) -> Bool {
        guard let state = acquire() else { return false }
        let callbacks: CallbackList<Value>? = state & FutureWord.hasCallbacks != 0 ? takeCallbacks() : nil
        storeOutcome(outcome)
        var done = (state & ~(FutureWord.hasCallbacks | FutureWord.running)) | FutureWord.done
        if case .failure = outcome { done |= FutureWord.failed }
        release(done)
        if state & FutureWord.hasWorkRecord != 0 { finishWork() }
        if let callbacks {
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
    /// A `removable` callback gets a fresh token, taken before the word is touched, which is
    /// returned; otherwise the result is 0.
    @inlinable
    @inline(__always)
    @discardableResult
    func register(_ callback: Callback<Value>, removable: Bool = false) -> UInt32 {
        var callback = callback
        if removable { callback.token = CallbackTokens.next() }
        guard let state = acquire() else {
            let outcome = loadOutcome(word.load(ordering: .acquiring))
            Trampoline.runOrQueue(
                { callback.run(outcome, from: self) },
                orQueue: { [callback] in { callback.run(outcome, from: self) } }
            )
            return callback.token
        }
        if state & FutureWord.hasCallbacks != 0 {
            withStorage(passing: callback) { raw, callback in
                raw.assumingMemoryBound(to: CallbackList<Value>.self).pointee.append(callback)
            }
        } else {
            withStorage(passing: callback) { raw, callback in
                raw.assumingMemoryBound(to: CallbackList<Value>.self).initialize(to: CallbackList(slot: callback))
            }
        }
        release(state | FutureWord.hasCallbacks)
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
    /// The removed entry is released after the word is stored back: its closure may hold the last
    /// reference to something whose release runs user code (a promise, which then abandons its
    /// future).
    func removeCallback(token: UInt32) -> Bool {
        guard token != 0, let state = acquire() else { return false }
        guard state & FutureWord.hasCallbacks != 0 else {
            release(state)
            return false
        }
        let (removed, isEmpty) = withCallbacks { callbacks in
            let removed = callbacks.pointee.remove(token: token)
            let isEmpty = callbacks.pointee.isEmpty
            if isEmpty { callbacks.deinitialize(count: 1) }
            return (removed, isEmpty)
        }
        release(isEmpty ? state & ~FutureWord.hasCallbacks : state)
        withExtendedLifetime(removed) {}  // released after the word is stored back
        return removed != nil
    }

    /// How many callbacks are registered and waiting; 0 once done.
    ///
    /// A hook for leak tests.
    package var registeredCallbackCount: Int {
        guard let state = acquire() else { return 0 }
        guard state & FutureWord.hasCallbacks != 0 else {
            release(state)
            return 0
        }
        let count = withCallbacks { $0.pointee.count }
        release(state)
        return count
    }

    // MARK: - Reading state

    /// The outcome, if the future is complete.
    @inlinable
    var doneOutcome: Outcome<Value>? {
        let state = word.load(ordering: .acquiring)
        guard state & FutureWord.done != 0 else { return nil }
        return loadOutcome(state)
    }

    /// Calls `success` or `failure` with the outcome and returns `true` if the future is done;
    /// returns `false` if it is pending.
    ///
    /// Unlike ``doneOutcome`` it builds no `Outcome`, so it needs no generic metadata look-up when
    /// it runs unspecialised, as in the combinators over many inputs.
    @inlinable
    func readIfDone(success: (Value) -> Void, failure: (TracebackNode) -> Void) -> Bool {
        let state = word.load(ordering: .acquiring)
        guard state & FutureWord.done != 0 else { return false }
        if state & FutureWord.hasWorkRecord != 0 {
            readWorkOutcome(state, success: success, failure: failure)
            return true
        }
        withUnsafeBytes(of: storage) { bytes in
            let raw = bytes.baseAddress.unsafelyUnwrapped
            if state & FutureWord.failed != 0 {
                failure(raw.assumingMemoryBound(to: TracebackNode.self).pointee)
            } else if FutureStorage.fitsInline(Value.self) {
                success(raw.assumingMemoryBound(to: Value.self).pointee)
            } else {
                success(raw.assumingMemoryBound(to: ValueBox<Value>.self).pointee.value)
            }
        }
        return true
    }

    /// ``readIfDone(success:failure:)`` for `Future.async` work, apart so that the common path
    /// declares no `Outcome`.
    @usableFromInline
    func readWorkOutcome(_ state: UInt32, success: (Value) -> Void, failure: (TracebackNode) -> Void) {
        switch loadWorkOutcome(state) {
        case .success(let value): success(value)
        case .failure(let node): failure(node)
        }
    }

    /// The state word as it is now (its flags and whether it is done).
    @inlinable
    var currentState: UInt32 {
        word.load(ordering: .acquiring)
    }

    /// Marks submitted work as started; `false` if the future completed (was cancelled) first.
    func markRunning() -> Bool {
        // A cancel request that found the work not started completes the future right after: the
        // work must not start in between.
        let before = updateFlags { state in
            state & (FutureWord.done | FutureWord.cancelRequested) != 0 ? nil : state | FutureWord.running
        }
        return before & (FutureWord.done | FutureWord.cancelRequested) == 0
    }

    /// Marks a promise's future as following another future.
    ///
    /// Releasing the promise then does not abandon it. Returns `false` if it is already complete.
    func markAdopting() -> Bool {
        let before = updateFlags { state in
            state & FutureWord.done != 0 ? nil : state | FutureWord.adopting
        }
        return before & FutureWord.done == 0
    }

    /// Sets the cancel-requested flag and, if the future is pending and not running, fails it
    /// with `CancellationError`.
    func requestCancel(at site: CallSite) -> Bool {
        let before = updateFlags { $0 | FutureWord.cancelRequested }
        guard before & (FutureWord.done | FutureWord.running) == 0 else { return false }
        return complete(.raised(CancellationError(), at: site))
    }
}

// MARK: - The state word and the storage

/// The bits of a future's state word.
@usableFromInline
enum FutureWord {
    /// The future is complete; `storage` holds its outcome.
    @inlinable static var done: UInt32 { 1 << 0 }
    /// A thread owns `storage` for a moment; others wait for the bit to clear.
    @inlinable static var busy: UInt32 { 1 << 1 }
    /// Pending, and `storage` holds the registered callbacks.
    @inlinable static var hasCallbacks: UInt32 { 1 << 2 }
    /// Done with a failure: `storage` holds a traceback node rather than a value.
    @inlinable static var failed: UInt32 { 1 << 3 }
    /// `Future.async` work is running.
    @inlinable static var running: UInt32 { 1 << 4 }
    /// `cancel()` was called.
    @inlinable static var cancelRequested: UInt32 { 1 << 5 }
    /// A promise's future follows another future (`complete(with:)`).
    @inlinable static var adopting: UInt32 { 1 << 6 }
    /// Work submitted with `Future.async`, whose record is in the side table; never changes.
    @inlinable static var hasWorkRecord: UInt32 { 1 << 7 }

    /// Waits a moment for a BUSY owner, which holds the bit for a few instructions.
    @usableFromInline
    static func pause() {
        sched_yield()
    }
}

/// The words of a future's storage: room for its callback entry while pending, or for its outcome
/// once done.
@usableFromInline
enum FutureStorage {
    /// Five words and a half: exactly a ``Callback`` entry.
    @usableFromInline typealias Words = (UInt64, UInt64, UInt64, UInt64, UInt64, UInt32)

    @inlinable static var empty: Words { (0, 0, 0, 0, 0, 0) }

    /// Whether a value of type `T` is stored in place; a larger one is boxed.
    @inlinable
    static func fitsInline<T>(_ type: T.Type) -> Bool {
        MemoryLayout<T>.size <= MemoryLayout<Words>.size && MemoryLayout<T>.alignment <= MemoryLayout<Words>.alignment
    }
}

/// A success value too large to be stored in place.
// Immutable after initialisation.
@usableFromInline
final class ValueBox<Value>: @unchecked Sendable {
    @usableFromInline let value: Value

    @inlinable
    init(_ value: Value) {
        self.value = value
    }
}
