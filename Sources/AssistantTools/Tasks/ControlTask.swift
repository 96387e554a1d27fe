import JSON
import JSONRPC
import Synchronization

/// One `control_resource` call run as a task of the `io.modelcontextprotocol/tasks` extension: the
/// action row exists in the store, and the task follows the dispatcher through to its end.
///
/// ```
/// working ─ the next step is about to be known (never what a client is first shown)
///   ├→ input_required   the approval form, answered by tasks/update {inputResponses.approval}
///   │     ├ accept + approve ──→ working → sending …
///   │     ├ anything else ─────→ completed (the refusal: isError, approval_declined, nothing sent)
///   │     └ tasks/cancel ──────→ cancelled (the row refused: nothing sent)
///   └→ sending (status working)  claimed for dispatch: a cancel is acknowledged, not honoured
///         └→ completed (the CallToolResult, isError or not) | failed (a JSON-RPC error)
/// ```
final class ControlTask: Sendable {
    enum Phase: Sendable {
        case working
        case sending
        case approval(message: String)
        case completed(JSONValue)
        case failed(JSONRPCError)
        case cancelled

        var status: String {
            switch self {
            case .working, .sending: "working"
            case .approval: "input_required"
            case .completed: "completed"
            case .failed: "failed"
            case .cancelled: "cancelled"
            }
        }

        /// Whether a client may be shown this phase: every one but the step between two others.
        var isSettled: Bool {
            if case .working = self { return false }
            return true
        }

        var isTerminal: Bool {
            switch self {
            case .completed, .failed, .cancelled: true
            case .working, .sending, .approval: false
            }
        }
    }

    /// What `tasks/cancel` did.
    enum Cancellation: Equatable {
        /// The approval was pending: the action is refused and nothing is sent.
        case honoured
        /// The action was already claimed for its executor, or has ended: it goes on as it was.
        case notHonoured
    }

    static let cancelledReason = "the client cancelled the task before the action was sent"
    static let closedReason = "the client closed the connection before answering the approval request"
    static let abandonedReason = "the client cancelled its call before it was answered with the task"

    let id: String
    let actionId: String
    /// Whose task it is (``ApprovalStates/principal(_:)``): nobody else can read or change it.
    let principal: String
    let createdAt: Int64
    let limits: TaskLimits
    private let clock: ServerClock

    private struct State {
        var phase: Phase = .working
        var updatedAt: Int64
        var cancelRequested = false
        /// Claimed for its executor (``sending()``): on the `pulse` route the approval comes after.
        var claimed = false
        var cancelRefused = false
        /// Why nobody can answer any more (the client is gone, or its call was cancelled before the
        /// handle): an approval asked from now on is refused at once, with this reason.
        var closed: String?
        var answer: CheckedContinuation<Approval.Outcome, Never>?
        var timer: Task<Void, Never>?
        var waiters: [CheckedContinuation<Void, Never>] = []
        /// `subscriptions/listen` streams following the task (``observe(_:)``).
        var observers: [Int: @Sendable (JSONValue) -> Void] = [:]
        var nextObserver = 0
        /// Counts the changes a client may see; the last one the observers were told of.
        var version = 0
        var told = 0
    }

    private let state: Mutex<State>

    init(id: String, actionId: String, principal: String, limits: TaskLimits, clock: ServerClock) {
        self.id = id
        self.actionId = actionId
        self.principal = principal
        self.limits = limits
        self.clock = clock
        createdAt = clock.milliseconds()
        state = Mutex(State(updatedAt: createdAt))
    }

    var expiresAt: Int64 { createdAt + limits.ttlMilliseconds }
    var phase: Phase { state.withLock { $0.phase } }

    // MARK: - The dispatcher's side

    /// The action is claimed for its executor: from here on a cancel is not honoured.
    func sending() {
        state.withLock { $0.claimed = true }
        move(to: .sending)
    }

    /// Waits for the human's answer to `message`, given through `tasks/update`, for at most `timeout`
    /// seconds (the same window as an elicitation; the store settles a pending row after it).
    func approve(_ message: String, timeout: Double) async -> Approval.Outcome {
        await withCheckedContinuation { (continuation: CheckedContinuation<Approval.Outcome, Never>) in
            let now = clock.milliseconds()
            let waiters: [CheckedContinuation<Void, Never>]? = state.withLock { state in
                guard !state.cancelRequested, state.closed == nil else { return nil }
                state.phase = .approval(message: message)
                state.updatedAt = now
                state.version += 1
                state.answer = continuation
                state.timer = Task { [weak self] in
                    try? await Task.sleep(for: .milliseconds(Int64(timeout * 1000)))
                    guard !Task.isCancelled else { return }
                    _ = self?.answer(.declined("no answer to the approval request within \(Int(timeout)) s"))
                }
                defer { state.waiters = [] }
                return state.waiters
            }
            guard let waiters else {
                let closed = state.withLock { $0.cancelRequested ? nil : $0.closed }
                continuation.resume(returning: .declined(closed ?? Self.cancelledReason))
                return
            }
            for waiter in waiters { waiter.resume() }
            changed()
        }
    }

    /// The call's own answer: the task ends with it.
    func finish(_ answer: Result<JSONValue, JSONRPCError>) {
        let cancelled = state.withLock { $0.cancelRequested }
        switch answer {
        case .success(let result): move(to: cancelled ? .cancelled : .completed(result))
        case .failure(let error): move(to: .failed(error))
        }
    }

    // MARK: - The client's side

    /// Answers the pending approval; false when none is pending (the response is then ignored, as the
    /// extension asks for keys not outstanding).
    @discardableResult
    func answer(_ outcome: Approval.Outcome) -> Bool {
        let now = clock.milliseconds()
        let taken: (CheckedContinuation<Approval.Outcome, Never>, Task<Void, Never>?)? = state.withLock { state in
            guard case .approval = state.phase, let answer = state.answer else { return nil }
            state.answer = nil
            // Not yet claimed: the next step is about to be known. Claimed (the pulse route): it is being sent.
            state.phase = state.claimed ? .sending : .working
            state.updatedAt = now
            state.version += 1
            defer { state.timer = nil }
            return (answer, state.timer)
        }
        guard let taken else { return false }
        taken.1?.cancel()
        taken.0.resume(returning: outcome)
        changed()
        return true
    }

    /// `tasks/cancel`: honoured while the approval is pending (nothing has been sent), not after.
    func cancel() -> Cancellation {
        let (honoured, refusedNow) = state.withLock { state -> (Bool, Bool) in
            guard case .approval = state.phase else {
                let refusedNow = !state.phase.isTerminal && !state.cancelRefused
                if refusedNow {
                    state.cancelRefused = true
                    state.version += 1
                }
                return (false, refusedNow)
            }
            state.cancelRequested = true
            return (true, false)
        }
        guard honoured else {
            // The status message now says the cancel came too late.
            if refusedNow { changed() }
            return .notHonoured
        }
        answer(.declined(Self.cancelledReason))
        return .honoured
    }

    /// Returns once the task is in a phase a client may be shown (at once when it is).
    func settled() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state -> Bool in
                guard !state.phase.isSettled else { return true }
                state.waiters.append(continuation)
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Nobody can answer (`reason`): a pending approval, or one asked later, is refused.
    func close(_ reason: String = closedReason) {
        state.withLock { $0.closed = $0.closed ?? reason }
        answer(.declined(reason))
    }

    /// The task expired while waiting for its approval: the action is refused, nothing is sent.
    func expire() {
        answer(.declined("the task expired before the approval was answered"))
    }

    // MARK: - Observers

    /// Calls `observer` with the detailed task (as `tasks/get` shows it) at each change a client may
    /// see, until ``unobserve(_:)``.
    func observe(_ observer: @escaping @Sendable (JSONValue) -> Void) -> Int {
        state.withLock { state in
            defer { state.nextObserver += 1 }
            state.observers[state.nextObserver] = observer
            return state.nextObserver
        }
    }

    func unobserve(_ token: Int) {
        _ = state.withLock { $0.observers.removeValue(forKey: token) }
    }

    /// Tells the observers of a settled change they were not told of yet (two threads may both see it).
    private func changed() {
        let (observers, snapshot) = state.withLock { state -> ([@Sendable (JSONValue) -> Void], Snapshot?) in
            guard state.phase.isSettled, !state.observers.isEmpty, state.version > state.told else { return ([], nil) }
            state.told = state.version
            return (Array(state.observers.values), Snapshot(phase: state.phase, updatedAt: state.updatedAt, cancelRefused: state.cancelRefused))
        }
        guard let snapshot else { return }
        let detailed = json(snapshot, detailed: true)
        for observer in observers { observer(detailed) }
    }

    private struct Snapshot {
        var phase: Phase
        var updatedAt: Int64
        var cancelRefused: Bool
    }

    // MARK: - JSON

    /// The `Task` of the extension; `detailed` adds what its status carries (the `DetailedTask` of
    /// `tasks/get`: `inputRequests`, `result` or `error`).
    func json(detailed: Bool) -> JSONValue {
        json(state.withLock { Snapshot(phase: $0.phase, updatedAt: $0.updatedAt, cancelRefused: $0.cancelRefused) }, detailed: detailed)
    }

    private func json(_ snapshot: Snapshot, detailed: Bool) -> JSONValue {
        let (phase, updatedAt, cancelRefused) = (snapshot.phase, snapshot.updatedAt, snapshot.cancelRefused)
        var object: JSONObject = [
            "taskId": .string(id), "status": .string(phase.status), "statusMessage": .string(message(phase, cancelRefused: cancelRefused)),
            "createdAt": .string(ServerClock.text(milliseconds: createdAt)),
            "lastUpdatedAt": .string(ServerClock.text(milliseconds: updatedAt)),
            "ttlMs": .integer(limits.ttlMilliseconds), "pollIntervalMs": .integer(limits.pollIntervalMilliseconds),
        ]
        guard detailed else { return .object(object) }
        switch phase {
        case .approval(let message):
            object["inputRequests"] = [
                MCPServer.approvalInput: ["method": "elicitation/create", "params": Approval.request(message: message, version: .v2025_11_25)],
            ]
        case .completed(let result):
            object["result"] = result
        case .failed(let error):
            var failure: JSONObject = ["code": .integer(Int64(error.code)), "message": .string(error.message)]
            failure.setIfPresent("data", error.data)
            object["error"] = .object(failure)
        case .working, .sending, .cancelled:
            break
        }
        return .object(object)
    }

    private func message(_ phase: Phase, cancelRefused: Bool) -> String {
        switch phase {
        case .working:
            return "Action \(actionId) is recorded; its next step is being taken."
        case .sending:
            let refused = cancelRefused ? " A cancellation arrived after that and was not honoured." : ""
            return "Action \(actionId) was claimed for its executor and is being sent; it can no longer be cancelled.\(refused)"
        case .approval:
            return "Action \(actionId) waits for a human's approval: answer inputRequests.approval with tasks/update."
        case .completed(let result):
            let ended = result["structuredContent"]?["state"]?.stringValue.map { " \($0)" } ?? ""
            let refused = cancelRefused ? " A cancellation arrived after it was sent and was not honoured." : ""
            return "Action \(actionId) ended\(ended).\(refused)"
        case .failed(let error):
            return "Action \(actionId) failed: \(error.message)"
        case .cancelled:
            return "Cancelled before anything was sent: action \(actionId) is recorded as refused."
        }
    }

    private func move(to phase: Phase) {
        let now = clock.milliseconds()
        let waiters = state.withLock { state in
            state.phase = phase
            state.updatedAt = now
            state.version += 1
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
        changed()
    }
}
