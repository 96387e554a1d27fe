import JSON
import ResourceStore

extension ActionRecord {
    /// The action as `control_resource` and `get_action_status` show it.
    ///
    /// - Parameter replayed: the action was found by its idempotency key rather than made by this call.
    func json(replayed: Bool = false) -> JSONValue {
        let request = Self.parse(self.request)
        var object: JSONObject = [
            "actionId": .string(id),
            "state": .string(state.rawValue),
            "dryRun": false,
            "replayed": .bool(replayed),
            "resourceId": .string(resourceId),
            "action": .string(action),
            "reason": .string(reason),
        ]
        object.setIfPresent("replicas", request?["replicas"])
        object.setIfPresent("idempotencyKey", idempotencyKey.map(JSONValue.string))
        object["decision"] = typedDecision?.jsonValue ?? Self.parse(decision) ?? .object([:])
        object.setIfPresent("approval", approval.map(JSONValue.string))
        object.setIfPresent("code", code.map(JSONValue.string))
        var said = message ?? ""
        if replayed {
            said = "Replayed: idempotency key '\(idempotencyKey ?? "")' was first used by action \(id), so nothing was sent again. " + said
        }
        object["message"] = .string(said)
        object.setIfPresent("observed", observed.flatMap(Self.parse))
        object.setIfPresent("pulse", pulse.flatMap(Self.parse))
        object["createdAt"] = .string(ServerClock.text(milliseconds: createdAt))
        object["updatedAt"] = .string(ServerClock.text(milliseconds: updatedAt))
        object.setIfPresent("dispatchedAt", dispatchedAt.map { .string(ServerClock.text(milliseconds: $0)) })
        object.setIfPresent("finishedAt", finishedAt.map { .string(ServerClock.text(milliseconds: $0)) })
        return .object(object)
    }

    /// ``json(replayed:)``, with the action's ``ToolOutcome`` left in `context` for the audit.
    func json(replayed: Bool = false, reportingTo context: ToolContext) -> JSONValue {
        context.outcome.report(ToolOutcome(action: self))
        return json(replayed: replayed)
    }

    /// Whether the caller should read this action as a failure (`isError`): anything but done or on its way.
    var isFailure: Bool {
        switch state {
        case .refused, .failed, .unknown: true
        case .planned, .dispatched, .completed: false
        }
    }

    /// The decision the row keeps, read back into its type; nil for text this server did not write.
    var typedDecision: ActionDecision? {
        ActionDecision(parsing: decision)
    }

    static func parse(_ text: String) -> JSONValue? {
        try? JSONParser.parse(text)
    }
}

enum ActionSchemas {
    static let states = ActionRecord.State.allCases.map(\.rawValue)

    /// An action as `control_resource` (also for a dry run) and `get_action_status` give it.
    static let action = Schema.object([
        ("actionId", Schema.string("The action's id, for get_action_status; absent for a dry run.")),
        ("state", Schema.string("refused (final); planned → dispatched → completed | failed | unknown; dry-run: nothing recorded or sent.", enum: states + ["dry-run"])),
        ("dryRun", Schema.boolean()),
        ("replayed", Schema.boolean("The idempotency key was used before: this is that first action, and nothing was sent again.")),
        ("resourceId", Schema.string()),
        ("action", Schema.string()),
        ("reason", Schema.string()),
        ("replicas", ["type": "integer", "minimum": 0]),
        ("idempotencyKey", Schema.string()),
        ("decision", ControlSchemas.decision),
        ("approval", Schema.string("Whether a human approved it.", enum: ["not-needed", "pending", "granted", "declined", "unavailable", "not-asked"])),
        ("code", Schema.string("Why it ended as it did: a refusal code, or how the endpoint failed (endpoint_*).")),
        ("message", Schema.string("What happened, in words.")),
        ("observed", ["type": "object", "description": "The resource as the endpoint reported it after acting."]),
        ("pulse", Schema.object([
            ("requestId", Schema.string()),
            ("stage", Schema.string()),
            ("actionId", Schema.string("Pulse's action id.")),
            ("planHash", Schema.string()),
            ("state", Schema.string("Pulse's state of the action.")),
            ("plannedAt", Schema.string()),
            ("expiresAt", Schema.string()),
            ("replaced", Schema.array(of: Schema.string(), description: "Earlier, renewed action ids.")),
            ("execution", ["type": "object"]),
            ("verification", ["type": "object"]),
        ], description: "On the pulse route: Pulse's side of the action (requestId and stage always).")),
        ("createdAt", Schema.string("RFC 3339 with milliseconds.")),
        ("updatedAt", Schema.string()),
        ("dispatchedAt", Schema.string()),
        ("finishedAt", Schema.string()),
    ], required: ["state", "dryRun", "replayed", "resourceId", "action", "reason", "decision", "message"])
}
