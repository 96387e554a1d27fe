import Synchronization

/// How the client waits between retries, injected so that tests of the backoff run instantly and
/// can read the waits the client asked for.
package struct PulseSleeper: Sendable {
    private let body: @Sendable (Duration) async throws -> Void

    package init(_ body: @escaping @Sendable (Duration) async throws -> Void) {
        self.body = body
    }

    /// Waits `duration`; throws `CancellationError` when the task is cancelled meanwhile.
    package func sleep(for duration: Duration) async throws {
        try await body(duration)
    }

    /// The task's real sleep.
    package static let system = PulseSleeper { duration in
        try await Task.sleep(for: duration)
    }

    /// Returns at once: for tests that only count retries.
    package static let immediate = PulseSleeper { _ in }
}

/// A thread-safe counter: the stepping clock's readings, the fake sleeper's log.
final class PulseCounter: Sendable {
    private let value = Mutex(0)

    /// The current count, then adds one.
    func next() -> Int {
        value.withLock { count in
            defer { count += 1 }
            return count
        }
    }
}
