import ControlEndpoints
import JSON
import Policy
import ResourceStore

/// How an action on the `pulse` route ended, in our terms: the row's final state, a stable code and
/// what happened in words.
struct PulseEnding: Sendable, Equatable {
    var state: ActionRecord.State
    var code: String?
    var message: String
    var observed: JSONValue?
}

/// Who an action is about, for the sentences Pulse's refusals become.
struct PulseSubject: Sendable {
    /// `reboot`.
    var action: String
    /// `vm 'web-01' (vm-9493142bd2bf2b8e)`.
    var resource: String
    /// `'pve1' (agent-c280398dd9e79c7c)`: the host node, for an agent Pulse says is disconnected.
    var node: String?
    /// `Proxmox VE`.
    var platform: String
}

/// Pulse's answers mapped to ours (`PULSE_API.md` §4.1, §6.3). Every refusal before `execute` means
/// nothing ran; Pulse also refuses an `execute` (409, 403) before its executor starts.
///
/// | Pulse | ours | state |
/// | --- | --- | --- |
/// | 409 `action_execution_unavailable`, `reasonCode` `command_agent_disconnected` | `no_augmenting_agent` (the node) | refused |
/// | 409 `action_execution_unavailable` (any other reason), 404 `capability_not_found` | `capability_unavailable` | refused |
/// | 404 `resource_not_found` (or a 404 text) | `resource_not_found` | refused |
/// | 409 `resource_remediation_locked` | `pulse_resource_locked` | refused |
/// | 409 `action_emergency_stop` | `pulse_emergency_stop` | refused |
/// | 403 `mock_mode_enabled` | `pulse_mock_mode` | refused |
/// | 403 `action_approval_forbidden` | `pulse_approval_forbidden` (a user-minted token with `actions:approve`) | failed |
/// | 403 `missing_scope` | `pulse_missing_scope` (the scopes it names) | failed |
/// | 401 | `pulse_unauthorized` | failed |
/// | 409 `action_plan_expired` / `action_plan_drift` (after one re-plan) | `pulse_plan_expired` / `pulse_plan_drift` | failed |
/// | any other 4xx | `pulse_refused` (Pulse's code and message) | failed |
/// | 5xx | `pulse_server_error` | failed |
/// | no connection | `pulse_unreachable` | failed |
enum PulseAnswerMapping {
    static let nothingRan = "Nothing was executed."

    /// The error envelope of an answer: `{"error", "message", "details", "requiredScope(s)"}`.
    struct Envelope: Sendable {
        var status: Int
        var code: String?
        var message: String?
        var details: JSONValue?
        var scopes: [String]

        init(status: Int, body: JSONValue?, text: String) {
            self.status = status
            code = body?["error"]?.stringValue
            message = body?["message"]?.stringValue ?? (body == nil ? Self.line(text) : nil)
            details = body?["details"]
            scopes = body?["requiredScope"]?.stringValue.map { [$0] } ?? body?["requiredScopes"]?.arrayValue?.compactMap(\.stringValue) ?? []
        }

        /// `409 action_emergency_stop: Action dispatch is stopped by the operator`.
        var said: String {
            "\(status)" + (code.map { " \($0)" } ?? "") + (message.map { ": \($0)" } ?? "")
        }

        private static func line(_ text: String) -> String? {
            let line = text.split(whereSeparator: \.isNewline).joined(separator: " ")
            return line.isEmpty ? nil : String(line.prefix(200))
        }
    }

    /// The ending of an `answer` that is not a success, to `call`.
    static func ending(for answer: PulseAnswer, of call: PulseCall, subject: PulseSubject) -> PulseEnding {
        switch answer {
        case .notSent(let reason), .lost(let reason):
            return PulseEnding(state: .failed, code: "pulse_unreachable", message: "Could not reach Pulse for \(call.summary): \(reason) \(nothingRan)")
        case .answered(let status, let body, let text):
            return ending(for: Envelope(status: status, body: body, text: text), of: call, subject: subject)
        }
    }

    static func ending(for envelope: Envelope, of call: PulseCall, subject: PulseSubject) -> PulseEnding {
        let said = "Pulse answered \(call.summary) with \(envelope.said)."
        func refused(_ code: String, _ text: String) -> PulseEnding { PulseEnding(state: .refused, code: code, message: text) }
        func failed(_ code: String, _ text: String) -> PulseEnding { PulseEnding(state: .failed, code: code, message: text) }
        switch (envelope.status, envelope.code) {
        case (409, "action_execution_unavailable"?):
            return unavailable(reasonCode: envelope.details?["reasonCode"]?.stringValue, reason: envelope.details?["reason"]?.stringValue ?? envelope.message, subject: subject)
        case (404, "capability_not_found"?):
            return refused(RefusalCode.capabilityUnavailable.rawValue, "Cannot \(subject.action) \(subject.resource): Pulse knows no such capability for it. \(said) \(nothingRan)")
        case (404, "resource_not_found"?), (404, nil):
            return refused(RefusalCode.resourceNotFound.rawValue, "Cannot \(subject.action) \(subject.resource): Pulse no longer has it (removed or re-identified since the last sync). \(said) \(nothingRan)")
        case (_, "resource_remediation_locked"?):
            return refused("pulse_resource_locked", "Cannot \(subject.action) \(subject.resource): an operator locked it against remediation in Pulse, which runs no action on it until the lock is cleared (the resource's operator state in Pulse). \(said) \(nothingRan)")
        case (_, "action_emergency_stop"?):
            return refused("pulse_emergency_stop", "Cannot \(subject.action) \(subject.resource): Pulse's operator has stopped all action dispatch (emergency stop). \(said) \(nothingRan)")
        case (_, "mock_mode_enabled"?):
            return refused("pulse_mock_mode", "Cannot \(subject.action) \(subject.resource): Pulse is in mock mode, where it serves demo data and plans, decides and executes nothing. \(said) \(nothingRan)")
        case (_, "action_approval_forbidden"?):
            return failed("pulse_approval_forbidden", "Pulse refused to take the approval of \(subject.action) on \(subject.resource) from this assistant's token: Pulse accepts decisions only from a human actor, so the API token must be minted by a logged-in user (Settings → Security → API Tokens; it then has an owner) and carry actions:approve and actions:execute. A token without an owner can plan but never approve or execute. \(said) \(nothingRan)")
        case (_, "missing_scope"?):
            let scopes = envelope.scopes.isEmpty ? "a scope it did not name" : "one of " + envelope.scopes.joined(separator: ", ")
            return failed("pulse_missing_scope", "Pulse refused \(call.summary): the API token lacks \(scopes). The pulse route needs a user-owned token with monitoring:read, actions:plan, actions:approve and actions:execute. \(nothingRan)")
        case (401, _):
            return failed("pulse_unauthorized", "Pulse refused the API token for \(call.summary) (401): set a valid user-owned token in $PULSE_API_TOKEN or the config file's pulseToken. \(nothingRan)")
        case (_, "action_plan_expired"?):
            return failed("pulse_plan_expired", "Pulse's plan for \(subject.action) on \(subject.resource) expired again after it was renewed once. \(said) \(nothingRan)")
        case (_, "action_plan_drift"?):
            return failed("pulse_plan_drift", "\(subject.resource) changed under Pulse's plan again after it was renewed once. \(said) \(nothingRan)")
        case (500..., _):
            return failed("pulse_server_error", "Pulse failed: \(said) \(nothingRan)")
        default:
            return failed("pulse_refused", "Pulse refused: \(said) \(nothingRan)")
        }
    }

    /// A capability Pulse knows but cannot run now: a disconnected node agent is ours to name.
    static func unavailable(reasonCode: String?, reason: String?, subject: PulseSubject) -> PulseEnding {
        let because = [reasonCode, reason].compactMap { $0 }.joined(separator: ": ")
        if reasonCode == "command_agent_disconnected" {
            let node = subject.node.map { "on its node \($0)" } ?? "on its node"
            return PulseEnding(
                state: .refused, code: RefusalCode.noAugmentingAgent.rawValue,
                message: "Cannot \(subject.action) \(subject.resource): Pulse says the Pulse agent \(node) is not connected (\(because)), and \(subject.platform) is controlled only through that agent. Bring the agent on the node back online (or install one) and try again. \(nothingRan)"
            )
        }
        return PulseEnding(
            state: .refused, code: RefusalCode.capabilityUnavailable.rawValue,
            message: "Cannot \(subject.action) \(subject.resource): Pulse offers it but cannot run it now (\(because.isEmpty ? "no reason given" : because)). \(nothingRan)"
        )
    }

    /// An action Pulse does not offer at all for the resource.
    static func absent(_ capabilities: PulseCapabilities, action: ControlAction, subject: PulseSubject) -> PulseEnding {
        PulseEnding(
            state: .refused, code: RefusalCode.capabilityUnavailable.rawValue,
            message: "Cannot \(subject.action) \(subject.resource): \(capabilities.absentReason(for: action)) The policy allows it, but Pulse, which carries it out, does not. \(nothingRan)"
        )
    }
}
