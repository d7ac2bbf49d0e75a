// MARK: - Identity

extension Future: Hashable {
    /// Whether two references name the same future (identity, not equal outcomes).
    ///
    /// ```swift
    /// let (done, _) = waitFutures(requests, until: .firstCompleted)
    /// let index = requests.firstIndex(of: done[0])
    /// ```
    ///
    /// - Parameters:
    ///   - lhs: A future.
    ///   - rhs: Another future.
    /// - Returns: `true` if both are the same object.
    public static func == (lhs: Future, rhs: Future) -> Bool {
        lhs === rhs
    }

    /// Hashes the future's identity, so that futures can be dictionary keys and set members.
    ///
    /// ```swift
    /// var names: [Future<Page>: String] = [:]
    /// for url in urls { names[fetch(url)] = url.path }
    /// ```
    ///
    /// - Parameter hasher: The hasher to feed.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(ObjectIdentifier(self))
    }
}

extension Promise: Hashable {
    /// Whether two references name the same promise (identity).
    ///
    /// ```swift
    /// let waiting: Set<Promise<Void>> = [first, second]
    /// ```
    ///
    /// - Parameters:
    ///   - lhs: A promise.
    ///   - rhs: Another promise.
    /// - Returns: `true` if both are the same object.
    public static func == (lhs: Promise, rhs: Promise) -> Bool {
        lhs === rhs
    }

    /// Hashes the promise's identity, so that promises can be dictionary keys and set members.
    ///
    /// ```swift
    /// var deadlines: [Promise<Int>: ContinuousClock.Instant] = [:]
    /// ```
    ///
    /// - Parameter hasher: The hasher to feed.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(ObjectIdentifier(self))
    }
}
