/// The state a combine shares with the callbacks of its inputs, from the first pending input on.
///
/// One object per combine: a counter, the lowest-index failure, and one slot per input from
/// `start` on. Each input's callback is a small ``CombineCallback`` carrying its index, so that
/// registering it allocates nothing beyond what the input's callback list needs.
///
/// Callers outside the module run this code unspecialised, where every generic enum or closure
/// result costs a metadata look-up. So the lock is taken by hand, elements are stored in plain
/// slots with a separate table of flags rather than as optionals, and completing the result lives
/// in its own function, which runs once.
// Every `var` is read and written only under this object's lock stripe, except in `deinit` (so the
// runtime's exclusivity checks are redundant). The locked sections touch only this object. Once
// `isDecided` is set, only `remaining` changes: the deciding thread owns `values`, the slots and
// `failure` after taking them under the lock, and completes the result outside it.
final class CombineState<Element: Sendable, Output: Sendable>: @unchecked Sendable {
    let result: Future<Output>
    private let count: Int
    private let failFast: Bool
    /// The callbacks on the inputs of a fail-fast combine, removed once it is decided; `nil`
    /// otherwise, since a combine that waits for every input leaves nothing registered.
    let registrations: Registrations?
    private let assemble: @Sendable ([Element]) -> Output
    /// The index of the first slot: inputs before it were recorded during setup.
    private let start: Int
    @exclusivity(unchecked) private var values: [Element]
    /// The elements of inputs `start...`, initialised where `filled` is true; `nil` once a failure
    /// is known during setup or once decided.
    @exclusivity(unchecked) private var slots: UnsafeMutablePointer<Element>?
    @exclusivity(unchecked) private var filled: UnsafeMutablePointer<Bool>?
    /// Inputs from `start` not yet recorded, plus one while setup is still running.
    @exclusivity(unchecked) private var remaining: Int
    /// For fail-fast combines, the first index not known to have succeeded.
    @exclusivity(unchecked) private var prefix: Int
    @exclusivity(unchecked) private var failureIndex = Int.max
    @exclusivity(unchecked) private var failure: TracebackNode?
    @exclusivity(unchecked) private var isDecided = false

    init(
        site: CallSite,
        count: Int,
        failFast: Bool,
        assemble: @escaping @Sendable ([Element]) -> Output,
        start: Int,
        values: [Element],
        failure: (index: Int, node: TracebackNode)?
    ) {
        self.result = Future(site: site)
        self.count = count
        self.failFast = failFast
        self.registrations = failFast ? Registrations() : nil
        self.assemble = assemble
        self.start = start
        self.values = values
        self.remaining = count - start + 1
        self.prefix = start
        if let failure {
            self.failureIndex = failure.index
            self.failure = failure.node
        } else {
            self.slots = .allocate(capacity: count - start)
            let filled = UnsafeMutablePointer<Bool>.allocate(capacity: count - start)
            filled.initialize(repeating: false, count: count - start)
            self.filled = filled
        }
    }

    deinit {
        // Inputs that never completed released their callbacks: free what was stored.
        Self.release(slots, filled, count: count - start)
    }

    // MARK: - Recording

    /// Records the element of input `index`, which succeeded (or whose failure is stored).
    func record(_ element: Element, at index: Int) {
        let mutex = LockStripes.mutex(for: self)
        mutex.lockStripe()
        remaining -= 1
        if !isDecided, index < failureIndex, let slots, let filled {
            (slots + (index - start)).initialize(to: element)
            filled[index - start] = true
            if failFast && index == prefix {
                prefix += 1
                while prefix < count && prefix < failureIndex && filled[prefix - start] { prefix += 1 }
            }
        }
        decideAndUnlock(mutex)
    }

    /// Records the failure of input `index`.
    func record(failure node: TracebackNode, at index: Int) {
        let mutex = LockStripes.mutex(for: self)
        mutex.lockStripe()
        remaining -= 1
        var replaced: TracebackNode?
        if !isDecided && index < failureIndex {
            failureIndex = index
            replaced = failure
            failure = node
        }
        decideAndUnlock(mutex)
        withExtendedLifetime(replaced) {}  // released after the lock
    }

    /// Releases the hold of the setup.
    func finishSetup() -> Future<Output> {
        let mutex = LockStripes.mutex(for: self)
        mutex.lockStripe()
        remaining -= 1
        decideAndUnlock(mutex)
        return result
    }

    // MARK: - Deciding

    /// Called under the lock, which it releases: completes the result if the answer is determined.
    @inline(__always)
    private func decideAndUnlock(_ mutex: UnsafeMutablePointer<PlatformMutex>) {
        guard !isDecided else {
            mutex.unlockStripe()
            return
        }
        if let failure, remaining == 0 || (failFast && prefix == failureIndex) {
            isDecided = true
            let (values, slots, filled, index) = (self.values, self.slots, self.filled, failureIndex)
            (self.values, self.slots, self.filled, self.failure) = ([], nil, nil, nil)
            mutex.unlockStripe()
            withExtendedLifetime(values) {}  // released after the lock
            fail(with: failure, at: index, releasing: slots, filled)
            registrations?.cancelAll()
        } else if remaining == 0 {
            isDecided = true
            let (values, slots, filled) = (self.values, self.slots, self.filled)
            (self.values, self.slots, self.filled) = ([], nil, nil)
            mutex.unlockStripe()
            succeed(with: values, slots, filled)
        } else {
            mutex.unlockStripe()
        }
    }

    @inline(never)
    private func fail(
        with failure: TracebackNode,
        at index: Int,
        releasing slots: UnsafeMutablePointer<Element>?,
        _ filled: UnsafeMutablePointer<Bool>?
    ) {
        Self.release(slots, filled, count: count - start)
        result.complete(.passedThrough(failure, at: result.site, inputIndex: index, inputCount: count))
    }

    @inline(never)
    private func succeed(
        with values: [Element],
        _ slots: UnsafeMutablePointer<Element>?,
        _ filled: UnsafeMutablePointer<Bool>?
    ) {
        var values = values
        if let slots, let filled {
            for offset in 0..<(count - start) {
                precondition(filled[offset], "Internal inconsistency: a combine succeeded with an input unrecorded.")
                values.append((slots + offset).move())
            }
            slots.deallocate()
            filled.deallocate()
        }
        result.complete(.success(assemble(values)))
    }

    private static func release(
        _ slots: UnsafeMutablePointer<Element>?, _ filled: UnsafeMutablePointer<Bool>?, count: Int
    ) {
        guard let slots, let filled else { return }
        for offset in 0..<count where filled[offset] {
            (slots + offset).deinitialize(count: 1)
        }
        slots.deallocate()
        filled.deallocate()
    }
}
