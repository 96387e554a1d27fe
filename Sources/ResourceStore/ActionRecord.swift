import Fleet
import GRDB

/// One control call as the store keeps it: written before anything is dispatched, updated as it goes.
///
/// ```
/// refused                                  final: the policy or the human said no
/// planned → dispatched → completed         the endpoint applied it
///                      → failed            the endpoint said it failed
///                      → unknown           no clear answer after it was sent: it may have run
/// planned → failed                         it never left: no endpoint reached, nothing sent
/// planned → refused                        the human declined, or no approval could be asked for
/// ```
///
/// On the `pulse` route the row is `dispatched` from its first request to the Pulse server, and
/// ``pulse`` holds Pulse's side of it (action id, plan hash, state, expiry, verification):
///
/// ```
/// dispatched → refused                     Pulse offered no capability, or refused the plan: nothing ran
/// dispatched → failed                      Pulse said it failed, or it never executed
/// unknown    → completed | failed          Pulse, read again, knows how it ended
/// ```
///
/// The request, the decision and what the endpoint observed are JSON objects as text: the store
/// keeps them as they were, the tools give them their shape.
package struct ActionRecord: Sendable, Equatable {
    package enum State: String, Sendable, CaseIterable, Codable {
        case refused, planned, dispatched, completed, failed, unknown

        /// Whether the action can change no more.
        package var isFinal: Bool {
            switch self {
            case .refused, .completed, .failed, .unknown: true
            case .planned, .dispatched: false
            }
        }
    }

    package var id: String
    /// The caller's key: a second call with it gets this action back, never a second dispatch.
    package var idempotencyKey: String?
    package var resourceId: String
    package var action: String
    package var reason: String
    /// The normalised request (JSON object text).
    package var request: String
    package var controlLevel: String
    /// The policy's decision (JSON object text).
    package var decision: String
    /// Whether a human approved it: `not-needed`, `pending`, `granted`, `declined`, `unavailable`, or
    /// `not-asked` (it ended before the human was asked); `nil` when the policy refused it before
    /// approval mattered.
    package var approval: String?
    package var state: State
    /// Why it ended as it did, as a stable code: a refusal code, or how the endpoint failed.
    package var code: String?
    /// What happened, in words: the refusal, the endpoint's answer, or the failure.
    package var message: String?
    /// What the endpoint reported after acting (JSON object text).
    package var observed: String?
    /// On the `pulse` route, Pulse's side of the action (JSON object text):
    /// `{"requestId", "actionId", "planHash", "state", "plannedAt", "expiresAt", "replaced": [...], "verification": {...}}`;
    /// nil on the other routes. Written as soon as Pulse has planned it and again before execute, so a
    /// server that stops mid-way leaves what the next one needs to ask Pulse how it ended.
    package var pulse: String?
    /// Milliseconds since 1970, by the server's injected clock.
    package var createdAt: Int64
    package var updatedAt: Int64
    package var dispatchedAt: Int64?
    package var finishedAt: Int64?

    package init(
        id: String, idempotencyKey: String?, resourceId: String, action: String, reason: String, request: String,
        controlLevel: String, decision: String, approval: String? = nil, state: State, code: String? = nil,
        message: String? = nil, observed: String? = nil, pulse: String? = nil,
        createdAt: Int64, updatedAt: Int64? = nil, dispatchedAt: Int64? = nil, finishedAt: Int64? = nil
    ) {
        self.id = id
        self.idempotencyKey = idempotencyKey
        self.resourceId = resourceId
        self.action = action
        self.reason = reason
        self.request = request
        self.controlLevel = controlLevel
        self.decision = decision
        self.approval = approval
        self.state = state
        self.code = code
        self.message = message
        self.observed = observed
        self.pulse = pulse
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
        self.dispatchedAt = dispatchedAt
        self.finishedAt = finishedAt ?? (state.isFinal ? createdAt : nil)
    }

    static let columns = """
        id, idempotencyKey, resourceId, action, reason, request, controlLevel, decision, approval, state, code, message, \
        observed, createdAt, updatedAt, dispatchedAt, finishedAt, pulse
        """

    init(_ row: Row) throws {
        let stateText: String = row[9]
        guard let state = State(rawValue: stateText) else {
            throw StoreError(message: "action \(row[0] as String) has an unknown state '\(stateText)'")
        }
        self.init(
            id: row[0], idempotencyKey: row[1], resourceId: row[2], action: row[3], reason: row[4], request: row[5],
            controlLevel: row[6], decision: row[7], approval: row[8], state: state, code: row[10], message: row[11],
            observed: row[12], pulse: row[17], createdAt: row[13], updatedAt: row[14], dispatchedAt: row[15], finishedAt: row[16]
        )
    }

    /// The same row, read by a ``StoreReader``.
    init(_ row: ReadRow) throws {
        let stateText: String = row[9]
        guard let state = State(rawValue: stateText) else {
            throw StoreError(message: "action \(row[0] as String) has an unknown state '\(stateText)'")
        }
        self.init(
            id: row[0], idempotencyKey: row[1], resourceId: row[2], action: row[3], reason: row[4], request: row[5],
            controlLevel: row[6], decision: row[7], approval: row[8], state: state, code: row[10], message: row[11],
            observed: row[12], pulse: row[17], createdAt: row[13], updatedAt: row[14], dispatchedAt: row[15], finishedAt: row[16]
        )
    }

    var arguments: StatementArguments {
        [
            id, idempotencyKey, resourceId, action, reason, request, controlLevel, decision, approval, state.rawValue, code,
            message, observed, createdAt, updatedAt, dispatchedAt, finishedAt, pulse,
        ]
    }
}

/// What ``ResourceStore/record(_:)`` did with a new action.
package enum ActionRecording: Sendable, Equatable {
    /// The row is in the store.
    case recorded(ActionRecord)
    /// An action with the same idempotency key was there first; nothing was written.
    case existing(ActionRecord)
}
