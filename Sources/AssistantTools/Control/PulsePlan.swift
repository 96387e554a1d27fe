import Fleet
import JSON

/// One of Pulse's action plans (`unifiedresources.ActionPlan`, `PULSE_API.md` §4.1), as the `pulse`
/// route reads it from `POST /api/actions/plan` or from the `audit.plan` of a refresh's answer.
struct PulsePlan: Sendable, Equatable {
    var actionId: String
    var planHash: String
    var allowed: Bool
    var requiresApproval: Bool
    var plannedAt: String?
    var expiresAt: String?
    /// `expiresAt - plannedAt` by Pulse's clock (300 s at HEAD), nil when either is missing.
    var lifetimeSeconds: Double?
    var message: String?
    var resourceVersion: String?
    var capabilityName: String?
    var intendedChange: String?
    var blastRadius: [String]
    /// Pulse's state of the action once planned: `pending_approval` or `planned`.
    var state: String

    /// Reads a plan object; nil when it has no action id or plan hash.
    init?(_ plan: JSONValue?, state: String? = nil) {
        guard let plan, let actionId = plan["actionId"]?.stringValue, let planHash = plan["planHash"]?.stringValue else { return nil }
        self.actionId = actionId
        self.planHash = planHash
        allowed = plan["allowed"]?.boolValue ?? true
        requiresApproval = plan["requiresApproval"]?.boolValue ?? true
        plannedAt = plan["plannedAt"]?.stringValue
        expiresAt = plan["expiresAt"]?.stringValue
        if let start = plannedAt.flatMap(Self.seconds), let end = expiresAt.flatMap(Self.seconds) {
            lifetimeSeconds = end - start
        }
        message = plan["message"]?.stringValue
        resourceVersion = plan["resourceVersion"]?.stringValue
        capabilityName = plan["policyDecision"]?["scope"]?["capabilityName"]?.stringValue
        intendedChange = plan["preflight"]?["intendedChange"]?.stringValue
        blastRadius = plan["predictedBlastRadius"]?.arrayValue?.compactMap(\.stringValue) ?? []
        self.state = state ?? (requiresApproval ? "pending_approval" : "planned")
    }

    /// The plan of a refresh's answer (an action detail: `{audit: {state, plan, …}, …}`).
    init?(detail: JSONValue?) {
        self.init(detail?["audit"]?["plan"], state: detail?["audit"]?["state"]?.stringValue)
    }

    /// Whether `other` asks a human something different: another resource version, capability,
    /// intended change or blast radius. A new id, hash or expiry alone is the same plan, renewed.
    func differs(from other: PulsePlan) -> Bool {
        resourceVersion != other.resourceVersion || capabilityName != other.capabilityName
            || intendedChange != other.intendedChange || blastRadius != other.blastRadius
    }

    /// The lines the approving human reads about it.
    var approvalLines: [String] {
        var lines = ["Pulse's plan \(actionId): \(intendedChange ?? message ?? "no description")."]
        if !blastRadius.isEmpty { lines.append("Pulse predicts it affects: \(blastRadius.joined(separator: ", ")).") }
        if let expiresAt { lines.append("Pulse's plan expires at \(expiresAt); a later approval renews it first.") }
        return lines
    }

    /// Seconds since 1970 of an RFC 3339 time (to the second: Pulse's plan times are whole seconds).
    static func seconds(_ text: String) -> Double? {
        Timestamp(text).map { Double($0.secondsSince1970) }
    }
}
