import JSON
import Policy

/// The policy's decision on one control call, as a value: what `control_resource`, `explain_control` and
/// `get_action_status` show under `decision`, and what an action row keeps.
///
/// The row keeps ``jsonValue`` as compact text and ``init(parsing:)`` reads it back into this type, so
/// the audit and the tools read fields, not keys of a JSON object:
///
/// ```
/// {"action":"stop","outcome":"route","controlClass":"augmentation-only","controlLevel":"autonomous",
///  "needsApproval":false,"message":"...","route":{"kind":"agent","id":"...","endpoint":"..."}}
/// {"action":"stop","outcome":"refuse","controlClass":null,...,"message":"...","code":"...","hint":"..."}
/// ```
package struct ActionDecision: Sendable, Equatable {
    package enum Outcome: String, Sendable, CaseIterable {
        case execute, route, refuse
    }

    package var action: ControlAction
    package var outcome: Outcome
    /// The owning platform's assistant-control class; nil when the platform is not supported.
    package var controlClass: AssistantControlClass?
    package var controlLevel: ControlLevel
    package var needsApproval: Bool
    /// The decision in words (``ControlPolicy/summary(of:for:manifest:)``).
    package var message: String
    /// For a refusal: its code and what would change it.
    package var code: RefusalCode?
    package var hint: String?
    /// For an execution or a routing: where the action goes.
    package var route: ControlDecision.Route?

    /// The decision of `evaluation`, said with `manifest`'s names.
    package init(_ evaluation: ControlEvaluator.Evaluation, manifest: PlatformSupportManifest) {
        action = evaluation.inputs.action
        controlClass = evaluation.controlClass
        controlLevel = evaluation.inputs.level
        needsApproval = evaluation.decision.needsApproval
        message = ControlPolicy.summary(of: evaluation.decision, for: evaluation.inputs, manifest: manifest)
        switch evaluation.decision.outcome {
        case .refuse(let code, _, let hint):
            outcome = .refuse
            self.code = code
            self.hint = hint
        case .execute(let route):
            outcome = .execute
            self.route = route
        case .route(let route):
            outcome = .route
            self.route = route
        }
    }

    /// The decision's JSON object, keys in the order above.
    package var jsonValue: JSONValue {
        var object: JSONObject = [
            "action": .string(action.rawValue),
            "outcome": .string(outcome.rawValue),
            "controlClass": JSONValue(controlClass?.rawValue),
            "controlLevel": .string(controlLevel.rawValue),
            "needsApproval": .bool(needsApproval),
            "message": .string(message),
        ]
        if let code, outcome == .refuse {
            object["code"] = .string(code.rawValue)
            object["hint"] = .string(hint ?? "")
        }
        if let route, outcome != .refuse {
            object["route"] = route.json
        }
        return .object(object)
    }

    /// Reads back what ``jsonValue`` wrote; nil for anything else.
    package init?(json: JSONValue) {
        guard let action = json["action"]?.stringValue.flatMap(ControlAction.init(rawValue:)),
              let outcome = json["outcome"]?.stringValue.flatMap(Outcome.init(rawValue:)),
              let level = json["controlLevel"]?.stringValue.flatMap(ControlLevel.init(rawValue:)),
              let needsApproval = json["needsApproval"]?.boolValue,
              let message = json["message"]?.stringValue
        else { return nil }
        var controlClass: AssistantControlClass?
        switch json["controlClass"] {
        case .null?: controlClass = nil
        case let value?:
            guard let known = value.stringValue.flatMap(AssistantControlClass.init(rawValue:)) else { return nil }
            controlClass = known
        case nil: return nil
        }
        self.action = action
        self.outcome = outcome
        self.controlClass = controlClass
        self.controlLevel = level
        self.needsApproval = needsApproval
        self.message = message
        switch outcome {
        case .refuse:
            guard let code = json["code"]?.stringValue.flatMap(RefusalCode.init(rawValue:)), let hint = json["hint"]?.stringValue
            else { return nil }
            self.code = code
            self.hint = hint
        case .execute, .route:
            guard let route = json["route"], let kind = route["kind"]?.stringValue.flatMap(ControlDecision.Route.Kind.init(rawValue:)),
                  let id = route["id"]?.stringValue, let endpoint = route["endpoint"]?.stringValue
            else { return nil }
            self.route = ControlDecision.Route(kind: kind, id: id, endpoint: endpoint, via: route["via"]?.stringValue)
        }
    }

    /// Reads back the text an action row keeps.
    package init?(parsing text: String) {
        guard let json = try? JSONParser.parse(Array(text.utf8)) else { return nil }
        self.init(json: json)
    }
}
