// MARK: - Pairing

extension Future {
    /// Returns a future of both values, once this future and `other` have succeeded.
    ///
    /// If either fails, the result fails; if both fail, with this future's failure, whatever
    /// order the failures happened in, so the answer never depends on timing. The failure gains an
    /// `and` frame naming the input (0 for this future, 1 for `other`). Cancelling the result
    /// cancels neither input.
    ///
    /// ```swift
    /// let both = fetchUser().and(fetchSettings())
    /// ```
    ///
    /// - Parameters:
    ///   - other: The second future.
    ///   - fileID: The file of the call site; defaults to the caller's.
    ///   - line: The line of the call site; defaults to the caller's.
    ///   - function: The function of the call site; defaults to the caller's.
    /// - Returns: A future of the pair.
    public func and<U: Sendable>(
        _ other: Future<U>,
        fileID: StaticString = #fileID,
        line: UInt = #line,
        function: StaticString = #function
    ) -> Future<(Value, U)> {
        let site = CallSite(.and, fileID, line, function)
        let next = Future<(Value, U)>(site: site)
        register(
            ClosureCallback { outcome in
                switch outcome {
                case .failure(let failure):
                    next.complete(.passedThrough(failure, at: site, inputIndex: 0, inputCount: 2))
                case .success(let first):
                    other.register(
                        ClosureCallback { outcome in
                            switch outcome {
                            case .failure(let failure):
                                next.complete(.passedThrough(failure, at: site, inputIndex: 1, inputCount: 2))
                            case .success(let second):
                                next.complete(.success((first, second)))
                            }
                        }
                    )
                }
            }
        )
        return next
    }
}
