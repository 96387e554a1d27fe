import Foundation
import Synchronization

/// A `TaskExecutor` of one thread of its own, so a test can tell whether a job ran there.
final class OneThreadExecutor: TaskExecutor, Sendable {
    static let shared = OneThreadExecutor()

    private let jobs = Mutex<[UnownedJob]>([])
    private let ready = DispatchSemaphore(value: 0)
    private let thread = Mutex<pthread_t?>(nil)

    init() {
        let started = DispatchSemaphore(value: 0)
        Thread { [self] in
            thread.withLock { $0 = pthread_self() }
            started.signal()
            while true {
                ready.wait()
                let job = jobs.withLock { $0.removeFirst() }
                job.runSynchronously(on: asUnownedTaskExecutor())
            }
        }.start()
        started.wait()
    }

    /// Whether the caller runs on this executor's thread.
    var isCurrent: Bool {
        thread.withLock { $0.map { pthread_equal($0, pthread_self()) != 0 } ?? false }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        jobs.withLock { $0.append(job) }
        ready.signal()
    }
}
