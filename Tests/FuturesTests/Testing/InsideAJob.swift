import Futures
import FuturesTesting

extension TestExecutor {
    /// Runs `body` now, on this thread, as if it were one of this executor's jobs.
    ///
    /// A blocking wait inside `body` runs the executor's ready jobs, as a blocking wait inside any
    /// job of a test executor does.
    func insideAJob<R>(_ body: () throws -> R) rethrows -> R {
        try BlockingWaitHelpers.with(self, body)
    }
}
