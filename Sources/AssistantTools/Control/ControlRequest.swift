import ControlEndpoints
import JSON
import Policy

/// One `control_resource` call's arguments, after the input schema has checked them.
///
/// Only these fields reach the decision; the schema refuses any other (a caller cannot name an
/// endpoint, a route, a level or an approval).
struct ControlRequest: Sendable, Equatable {
    var resourceId: String
    var action: ControlAction
    var reason: String
    var replicas: Int?
    var idempotencyKey: String?
    var dryRun: Bool

    init(resourceId: String, action: ControlAction, reason: String, replicas: Int? = nil, idempotencyKey: String? = nil, dryRun: Bool = false) {
        self.resourceId = resourceId
        self.action = action
        self.reason = reason
        self.replicas = replicas
        self.idempotencyKey = idempotencyKey
        self.dryRun = dryRun
    }

    init(_ object: JSONObject) throws(ToolError) {
        let arguments = Arguments(object)
        guard let resourceId = arguments.string("resourceId"), let name = arguments.string("action"),
              let action = ControlAction(rawValue: name), let reason = arguments.string("reason")
        else { throw .rejected("control_resource needs resourceId, action and reason.") }
        let key = arguments.string("idempotencyKey")
        if let key, Redaction.redact(.string(key)) != .string(key) {
            // It would be stored and shown: a key is a name, never a credential.
            throw .rejected("idempotencyKey looks like a credential; use an opaque key such as maint-2026-11-28-web-01.")
        }
        self.init(
            // A reason that quotes a credential keeps the sentence, not the credential: it is recorded and shown.
            resourceId: resourceId, action: action, reason: Redaction.redact(.string(reason)).stringValue ?? reason,
            replicas: object["replicas"]?.integerValue.map { Int($0) },
            idempotencyKey: key, dryRun: arguments.bool("dryRun")
        )
    }

    /// The request with every known secret masked in what is recorded and shown (resource id, reason).
    ///
    /// - Throws: a rejection when the idempotency key holds a secret: a key is matched as it is, so it
    ///   cannot be masked, and it would be stored and shown.
    func masking(_ masker: SecretMasker) throws(ToolError) -> ControlRequest {
        if let key = idempotencyKey, masker.reveals(key) {
            throw .rejected("idempotencyKey holds an endpoint token; use an opaque key such as maint-2026-11-28-web-01.")
        }
        var masked = self
        masked.resourceId = masker.mask(resourceId)
        masked.reason = masker.mask(reason)
        return masked
    }

    /// What the action row keeps as its request, and what a retry with the same key must match.
    var json: JSONValue {
        var object: JSONObject = ["resourceId": .string(resourceId), "action": .string(action.rawValue)]
        object.setIfPresent("replicas", replicas.map { .integer(Int64($0)) })
        object["reason"] = .string(reason)
        return .object(object)
    }

    /// The parameters the endpoint gets with the action.
    var endpointParams: JSONObject {
        var params: JSONObject = [:]
        params.setIfPresent("replicas", replicas.map { .integer(Int64($0)) })
        return params
    }

    /// Whether `record` was made for the same resource, action and replica count (the reason may differ).
    func matches(_ record: JSONValue?) -> Bool {
        record?["resourceId"]?.stringValue == resourceId && record?["action"]?.stringValue == action.rawValue
            && record?["replicas"]?.integerValue.map { Int($0) } == replicas
    }
}
