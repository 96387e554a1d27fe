import JSON

/// The seam between the assistant and a Pulse server's action lifecycle (`PULSE_API.md` §4.1): one
/// call, one answer, as values.
///
/// ```
/// GET  /api/resources/{id}            the resource, its live capabilities[] and actionReadiness[]
/// POST /api/actions/plan              {requestId, resourceId, capabilityName, reason[, params]}
/// POST /api/actions/{id}/decision     {outcome: "approved", reason, planHash}
/// POST /api/actions/{id}/execute      {reason, planHash}              (blocks until the executor returns)
/// GET  /api/actions/{id}              {audit, events, attempt, receipt, readiness}
/// POST /api/actions/{id}/refresh      {planHash}                      (a new plan for an expired or drifted one)
/// GET  /api/actions?view=pending|settled&limit=500
/// ```
///
/// The conformer carries the Pulse token; nothing that crosses this seam holds it. `PulseActions`
/// (PulseClient) is the real one; tests may give the dispatcher another.
package protocol PulseLifecycle: Sendable {
    /// Sends `call` and returns what came back. Never throws: every way a call can end is an answer.
    func send(_ call: PulseCall) async -> PulseAnswer
}

/// One request of the action lifecycle.
package enum PulseCall: Sendable, Equatable {
    case resource(id: String)
    case plan(JSONValue)
    case decide(actionId: String, JSONValue)
    /// Waits up to the conformer's execute deadline: long enough for a guest shutdown.
    case execute(actionId: String, JSONValue)
    case detail(actionId: String)
    case refresh(actionId: String, JSONValue)
    case list(view: String)

    /// Whether the call changes anything on Pulse that a repeat could change again. The plan is
    /// idempotent on its `requestId`; a decision or an execute is not sent twice blindly.
    package var isIdempotent: Bool {
        switch self {
        case .resource, .plan, .detail, .list: true
        case .decide, .execute, .refresh: false
        }
    }

    /// `POST /api/actions/plan`, for messages (ids are Pulse's and ours, never a credential).
    package var summary: String {
        switch self {
        case .resource(let id): "GET /api/resources/\(id)"
        case .plan: "POST /api/actions/plan"
        case .decide(let id, _): "POST /api/actions/\(id)/decision"
        case .execute(let id, _): "POST /api/actions/\(id)/execute"
        case .detail(let id): "GET /api/actions/\(id)"
        case .refresh(let id, _): "POST /api/actions/\(id)/refresh"
        case .list(let view): "GET /api/actions?view=\(view)"
        }
    }
}

/// What a ``PulseCall`` came to.
package enum PulseAnswer: Sendable, Equatable {
    /// Pulse answered with `status`; `body` is its JSON (nil when it is not JSON, e.g. `http.Error` text,
    /// kept in `text`). The conformer has already removed the token from both.
    case answered(status: Int, body: JSONValue?, text: String)
    /// The request did not reach Pulse (refused, no route, no connection in time): nothing happened there.
    case notSent(reason: String)
    /// The request may have reached Pulse, but no complete answer came back (a timeout, a dropped
    /// connection): what it did is Pulse's to say, through `GET /api/actions/{id}`.
    case lost(reason: String)
}

extension PulseAnswer {
    /// The body of a 2xx answer.
    package var success: JSONValue? {
        if case .answered(let status, let body?, _) = self, (200..<300).contains(status) { return body }
        return nil
    }
}
