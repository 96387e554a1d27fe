import Foundation

#if canImport(Glibc)
import Glibc
#endif

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

    /// Threads for work nobody waits on: the background sync's walk of its source and its write.
    /// They run when no other thread of the machine wants a core (``Scheduling/idle``), so that while
    /// a sync runs, a tool call's read (on ``shared``) takes a core at once. Two: a walk's pages are
    /// checked while the next ones travel, on a machine of two cores.
    package static let background = StoreExecutor(threadCount: 2, name: "sync", scheduling: .idle)

    /// How the threads are scheduled.
    package enum Scheduling: Sendable {
        /// As the process's other threads.
        case normal
        /// Linux's `SCHED_IDLE` (set per thread): a thread that runs only on a core nothing else
        /// wants, and is preempted as soon as another thread wakes there. Work under a CPU that is
        /// busy all the time still makes progress, slowly (the scheduler gives it a sliver).
        case idle
    }

    package let threadCount: Int
    package let scheduling: Scheduling
    private let condition = NSCondition()
    private var queue: [UnownedJob] = []
    private var head = 0

    /// A pool of `threadCount` threads of its own, named `name-1`…; they live as long as the process.
    package init(threadCount: Int, name: String = "store", scheduling: Scheduling = .normal) {
        self.threadCount = threadCount
        self.scheduling = scheduling
        for index in 1...threadCount {
            let thread = Thread { [self] in work() }
            thread.name = "\(name)-\(index)"
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

    /// Schedules the calling thread as `SCHED_IDLE` (on Linux the policy is per thread). Best
    /// effort: where it fails, the thread keeps the process's scheduling.
    private static func scheduleWhenIdle() {
        #if canImport(Glibc)
        var parameters = sched_param(sched_priority: 0)
        _ = sched_setscheduler(0, schedIdle, &parameters)
        #endif
    }

    /// Whether the calling thread is scheduled as `SCHED_IDLE` (Linux; false elsewhere).
    package static var currentThreadIsIdleScheduled: Bool {
        #if canImport(Glibc)
        return sched_getscheduler(0) == schedIdle
        #else
        return false
        #endif
    }

    /// `SCHED_IDLE` from `<sched.h>`, which Swift's Glibc module leaves out (it is a GNU extension).
    private static let schedIdle: Int32 = 5

    private func work() {
        Thread.current.threadDictionary[Self.marker] = true
        if scheduling == .idle { Self.scheduleWhenIdle() }
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
