import JSON

/// Pulse's side of one action on the `pulse` route, as the action row keeps it (``ResourceStore``'s
/// `pulse` column) and `get_action_status` shows it:
///
/// ```json
/// {"requestId": "key:maint-web-01", "stage": "executing", "actionId": "act_f916…", "planHash": "sha256:…",
///  "state": "completed", "plannedAt": "…", "expiresAt": "…", "replaced": ["act_0c1d…"],
///  "execution": {"status": "succeeded", "summary": "…"}, "verification": {"status": "confirmed", …}}
/// ```
///
/// `requestId` is the idempotency key Pulse planned with, so a server that finds the row after a
/// crash can find the plan even when it stopped before the plan's answer was recorded.
struct PulseActionState: Sendable, Equatable {
    /// Where the dispatch got to: `checking` (the live capability), `planning`, `planned` (a human may
    /// be asked), `deciding`, `executing`, `polling`, `ended`.
    var stage: String
    var requestId: String
    var actionId: String?
    var planHash: String?
    /// Pulse's state of the action (`pending_approval`, `approved`, `executing`, `completed`, …).
    var state: String?
    var plannedAt: String?
    var expiresAt: String?
    /// Earlier action ids of the same request: plans that expired or drifted and were refreshed.
    var replaced: [String] = []
    /// `actionResultV2.execution` and `.verification` as Pulse reported them.
    var execution: JSONValue?
    var verification: JSONValue?

    init(requestId: String, stage: String = "checking") {
        self.requestId = requestId
        self.stage = stage
    }

    /// Reads what ``text`` wrote; nil for anything else.
    init?(parsing text: String?) {
        guard let text, let json = try? JSONParser.parse(text), let requestId = json["requestId"]?.stringValue else { return nil }
        self.requestId = requestId
        stage = json["stage"]?.stringValue ?? "checking"
        actionId = json["actionId"]?.stringValue
        planHash = json["planHash"]?.stringValue
        state = json["state"]?.stringValue
        plannedAt = json["plannedAt"]?.stringValue
        expiresAt = json["expiresAt"]?.stringValue
        replaced = json["replaced"]?.arrayValue?.compactMap(\.stringValue) ?? []
        execution = json["execution"]
        verification = json["verification"]
    }

    var json: JSONValue {
        var object: JSONObject = ["requestId": .string(requestId), "stage": .string(stage)]
        object.setIfPresent("actionId", actionId.map(JSONValue.string))
        object.setIfPresent("planHash", planHash.map(JSONValue.string))
        object.setIfPresent("state", state.map(JSONValue.string))
        object.setIfPresent("plannedAt", plannedAt.map(JSONValue.string))
        object.setIfPresent("expiresAt", expiresAt.map(JSONValue.string))
        if !replaced.isEmpty { object["replaced"] = JSONValue(replaced) }
        object.setIfPresent("execution", execution)
        object.setIfPresent("verification", verification)
        return .object(object)
    }

    /// The compact text the row keeps.
    var text: String { json.description }

    /// What the audit record keeps of it: the action id, its final state and the verification's verdict
    /// (not its evidence list, which stays in the row).
    var auditSummary: String {
        var object: JSONObject = [:]
        object.setIfPresent("actionId", actionId.map(JSONValue.string))
        object.setIfPresent("state", state.map(JSONValue.string))
        if let verification {
            var verdict: JSONObject = [:]
            for key in ["status", "evidenceClass", "summary"] {
                verdict.setIfPresent(key, verification[key])
            }
            object["verification"] = .object(verdict)
        }
        return JSONValue.object(object).description
    }

    /// Adopts a plan (a first one, or the replacement of an expired or drifted one).
    mutating func adopt(_ plan: PulsePlan) {
        if let old = actionId, old != plan.actionId, !replaced.contains(old) { replaced.append(old) }
        actionId = plan.actionId
        planHash = plan.planHash
        state = plan.state
        plannedAt = plan.plannedAt
        expiresAt = plan.expiresAt
    }

    /// Adopts what Pulse reported of the action's end (`result.actionResultV2`).
    mutating func adopt(result: JSONValue?, state pulseState: String?) {
        if let pulseState { state = pulseState }
        let v2 = result?["actionResultV2"]
        execution = v2?["execution"] ?? execution
        verification = v2?["verification"] ?? verification
    }
}
