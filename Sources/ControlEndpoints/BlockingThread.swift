import Foundation

/// Runs blocking socket work on threads of its own, never on Swift's cooperative pool.
///
/// A blocked `poll(2)` on a pool thread would starve every other task of
/// that thread for up to a deadline; with two cores that is half the process.
enum BlockingThread {
    /// Runs `work` on a new thread and suspends, without blocking, until it returns.
    static func run<T: Sendable>(named name: String, _ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            start(named: name) { continuation.resume(returning: work()) }
        }
    }

    /// Starts `work` on a new thread and returns at once.
    static func start(named name: String, _ work: @escaping @Sendable () -> Void) {
        let thread = Thread(block: work)
        thread.name = name
        thread.start()
    }
}
