import Foundation

/// The threads the store's blocking work runs on: SQLite reads and writes, GRDB transactions, the
/// audit chain's locked append. Swift's cooperative pool has one thread per core (two here): a tool
/// task that blocked one of them in SQLite for a second starved every other task of the process.
///
/// A `TaskExecutor`: work that prefers it (a task started on it, `withTaskExecutorPreference`, or
/// ``run(_:)``) runs its nonisolated code on these threads and may block there; awaiting something
/// else (an endpoint, the client) gives the thread back.
///
/// ```
/// tools/call ─ .later(on:) ─▶ task started on StoreExecutor ─▶ store-1..4: read, write, audit append
/// tools/call ─ .inline ─▶ the connection's reading thread (point lookups, bounded)
/// ```
///
/// ``threadCount`` matches the store's read connections (four, ``ReadConnectionPool``): more threads
/// would only wait for a connection. `@unchecked Sendable`: `queue` is guarded by `condition`.
package final class StoreExecutor: TaskExecutor, @unchecked Sendable {
    /// The process's one store executor.
    package static let shared = StoreExecutor(threadCount: 4)

    package let threadCount: Int
    private let condition = NSCondition()
    private var queue: [UnownedJob] = []
    private var head = 0

    /// A pool of `threadCount` threads of its own; they live as long as the process.
    package init(threadCount: Int) {
        self.threadCount = threadCount
        for index in 1...threadCount {
            let thread = Thread { [self] in work() }
            thread.name = "store-\(index)"
            thread.start()
        }
    }

    package func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        queue.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Runs `body` on one of the store's threads and returns what it returned.
    package func run<T: Sendable, E: Error>(_ body: @Sendable () throws(E) -> T) async throws(E) -> T {
        let result: Result<T, E> = await withTaskExecutorPreference(self) {
            Result { () throws(E) in try body() }
        }
        return try result.get()
    }

    /// ``run(_:)`` for a body whose failure is an answer too: its `Result`.
    package func result<T: Sendable, E: Error>(_ body: @Sendable () throws(E) -> T) async -> Result<T, E> {
        await withTaskExecutorPreference(self) {
            Result { () throws(E) in try body() }
        }
    }

    /// Whether the caller runs on one of the store's threads.
    package static var isCurrent: Bool {
        Thread.current.threadDictionary[Self.marker] != nil
    }

    private static let marker = "StoreExecutor"

    private func work() {
        Thread.current.threadDictionary[Self.marker] = true
        while true {
            condition.lock()
            while head == queue.count {
                condition.wait()
            }
            let job = queue[head]
            head += 1
            if head == queue.count {
                queue.removeAll(keepingCapacity: true)
                head = 0
            }
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
