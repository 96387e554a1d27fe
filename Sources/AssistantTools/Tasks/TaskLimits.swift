/// The bounds of the tasks extension in one process.
package struct TaskLimits: Sendable {
    /// Tasks held at once (each holds its answer for ``ttlMilliseconds``); past it the oldest ended
    /// one is forgotten, and with none ended a call is answered without a task.
    package var maximumTasks: Int
    /// How long a task is kept after it was created, on the server's clock (`ttlMs` of the task).
    package var ttlMilliseconds: Int64
    /// How often a client should poll `tasks/get` (`pollIntervalMs`).
    package var pollIntervalMilliseconds: Int64

    package init(maximumTasks: Int = 64, ttlMilliseconds: Int64 = 3_600_000, pollIntervalMilliseconds: Int64 = 1_000) {
        self.maximumTasks = maximumTasks
        self.ttlMilliseconds = ttlMilliseconds
        self.pollIntervalMilliseconds = pollIntervalMilliseconds
    }
}
