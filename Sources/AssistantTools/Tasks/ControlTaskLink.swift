import JSON
import JSONRPC
import Synchronization

/// Between one `tools/call` that may become a task and the dispatcher running it (``ToolContext/task``).
///
/// The call waits for ``opened()``: the task, once its row is durable and it has reached a phase a
/// client may see (the approval asked, or the action claimed for its executor, or its end), or the
/// call's own answer when no row was written (a dry run, a refusal by the policy, a reused key, a bad
/// argument): that is answered as without the extension.
package final class ControlTaskLink: Sendable {
    enum Opening: Sendable {
        case task(ControlTask)
        case answered(Result<JSONValue, JSONRPCError>)
    }

    private let tasks: ControlTasks
    private let principal: String

    private struct State {
        var task: ControlTask?
        var answer: Result<JSONValue, JSONRPCError>?
        var waiter: CheckedContinuation<Opening, Never>?
        var abandoned = false
    }

    private let state = Mutex(State())

    /// - Precondition: a place was taken with ``ControlTasks/reserve()``; this link uses it or gives it back.
    init(tasks: ControlTasks, principal: String) {
        self.tasks = tasks
        self.principal = principal
    }

    /// The dispatcher wrote the `planned` row of `actionId`: the task exists from here on.
    func recorded(actionId: String) {
        let task = tasks.open(actionId: actionId, principal: principal)
        let (waiter, abandoned) = state.withLock { state in
            state.task = task
            defer { state.waiter = nil }
            return (state.waiter, state.abandoned)
        }
        if abandoned { task.close(ControlTask.abandonedReason) }
        waiter?.resume(returning: .task(task))
    }

    /// The dispatcher is about to send the action (connect to its endpoint, or hand it to Pulse).
    func dispatching() {
        state.withLock { $0.task }?.sending()
    }

    /// The human's answer, through the task's `input_required` status.
    func approve(_ message: String, timeout: Double) async -> Approval.Outcome {
        guard let task = state.withLock({ $0.task }) else { return .unavailable("the call has no task to ask through") }
        return await task.approve(message, timeout: timeout)
    }

    /// The call ended with `answer` (already audited and a modern result).
    func finish(_ answer: Result<JSONValue, JSONRPCError>) {
        let (task, waiter) = state.withLock { state in
            if state.task == nil { state.answer = answer }
            defer { state.waiter = nil }
            return (state.task, state.waiter)
        }
        if let task {
            task.finish(answer)
        } else {
            tasks.release()
            waiter?.resume(returning: .answered(answer))
        }
    }

    /// The call was cancelled (`notifications/cancelled`) before its answer: nobody learns the task's
    /// id, so its approval is refused (nothing is sent), now or when it is asked.
    func abandon() {
        let task = state.withLock { state in
            state.abandoned = true
            return state.task
        }
        task?.close(ControlTask.abandonedReason)
    }

    /// What the call answers: its task once settled, or its answer when it made none.
    func opened() async -> Opening {
        let first = await withCheckedContinuation { (continuation: CheckedContinuation<Opening, Never>) in
            let now: Opening? = state.withLock { state in
                if let task = state.task { return .task(task) }
                if let answer = state.answer { return .answered(answer) }
                state.waiter = continuation
                return nil
            }
            if let now { continuation.resume(returning: now) }
        }
        if case .task(let task) = first { await task.settled() }
        return first
    }
}
