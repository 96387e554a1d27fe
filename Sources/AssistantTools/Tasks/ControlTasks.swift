import Synchronization

/// The tasks of one process: at most ``TaskLimits/maximumTasks``, each kept ``TaskLimits/ttlMilliseconds``
/// on the server's clock, each found only by its own client.
///
/// A task id is a keyed handle, `task-` + base64url(HMAC-SHA256(the process's key, action id and
/// client))[0..<18 bytes]: it cannot be guessed from the action id, and a replay (which fixes the key
/// and the action ids) gives the same ids. Presented by another client it is not found, exactly as an
/// id never issued, an expired one or a forgotten one: -32602 for all, so nothing leaks.
package final class ControlTasks: Sendable {
    package let limits: TaskLimits
    let clock: ServerClock
    private let sealer: RequestStateSealer

    private struct State {
        var tasks: [String: ControlTask] = [:]
        /// Calls between the decision to run as a task and their row (or their answer).
        var reserved = 0
        /// Calls still running in the background, and who waits for none to be.
        var running = 0
        var idle: [CheckedContinuation<Void, Never>] = []
        var inputEnded = false
    }

    private let state = Mutex(State())

    init(limits: TaskLimits, sealer: RequestStateSealer, clock: ServerClock) {
        self.limits = limits
        self.sealer = sealer
        self.clock = clock
    }

    /// Takes a place for one more task; false when every place is held by a task still running (the
    /// call is then answered without one). An ended task is forgotten, the oldest first, to make room.
    func reserve() -> Bool {
        let (granted, expired) = state.withLock { state -> (Bool, [ControlTask]) in
            let expired = purge(&state)
            while state.tasks.count + state.reserved >= limits.maximumTasks {
                guard let oldest = state.tasks.values.filter({ $0.phase.isTerminal }).min(by: { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) })
                else { return (false, expired) }
                state.tasks[oldest.id] = nil
            }
            state.reserved += 1
            return (true, expired)
        }
        for task in expired { task.expire() }
        return granted
    }

    /// Gives back a place taken by ``reserve()`` that no task used.
    func release() {
        state.withLock { $0.reserved = max(0, $0.reserved - 1) }
    }

    /// The task of `actionId` for `principal`, in the place ``reserve()`` took.
    func open(actionId: String, principal: String) -> ControlTask {
        let id = "task-" + sealer.handle("control-task\u{0}\(actionId)\u{0}\(principal)")
        let task = ControlTask(id: id, actionId: actionId, principal: principal, limits: limits, clock: clock)
        let closed = state.withLock { state in
            state.reserved = max(0, state.reserved - 1)
            state.tasks[id] = task
            return state.inputEnded
        }
        if closed { task.close() }
        return task
    }

    /// The task `id` when `principal` owns it and it has not expired.
    func task(_ id: String, principal: String) -> ControlTask? {
        let (found, expired) = state.withLock { state in
            let expired = purge(&state)
            return (state.tasks[id].flatMap { $0.principal == principal ? $0 : nil }, expired)
        }
        for task in expired { task.expire() }
        return found
    }

    /// A call starts running in the background.
    func began() {
        state.withLock { $0.running += 1 }
    }

    /// A call that ``began()`` has its answer.
    func ended() {
        let waiters = state.withLock { state in
            state.running -= 1
            guard state.running == 0 else { return [CheckedContinuation<Void, Never>]() }
            defer { state.idle = [] }
            return state.idle
        }
        for waiter in waiters { waiter.resume() }
    }

    /// The client is gone (end of input): no approval can be answered any more, so each pending one
    /// is refused (nothing is sent), and actions already sent run to their end.
    package func inputEnded() {
        let pending = state.withLock { state in
            state.inputEnded = true
            return Array(state.tasks.values)
        }
        for task in pending { task.close() }
    }

    /// Returns once no call runs in the background: the server exits after its actions have ended.
    package func drain() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let idle = state.withLock { state in
                if state.running == 0 { return true }
                state.idle.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }

    /// Tasks held now (tests).
    var count: Int {
        state.withLock { $0.tasks.count }
    }

    private func purge(_ state: inout State) -> [ControlTask] {
        let now = clock.milliseconds()
        let expired = state.tasks.values.filter { now >= $0.expiresAt }
        for task in expired { state.tasks[task.id] = nil }
        return expired
    }
}
