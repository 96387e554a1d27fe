import JSON
import Policy
import ResourceStore

/// What Pulse offers for one resource: `capabilities[]` (executable now) and `actionReadiness[]`
/// (known, not executable now, with Pulse's reason), read from a live `GET /api/resources/{id}` or
/// from the copy a sync keeps under `details.pulse` (the same keys).
///
/// Pulse treats `restart` and `reboot` as one (`actionlifecycle/service.go:264`): either name finds
/// the resource's own verb.
struct PulseCapabilities: Sendable, Equatable {
    struct Capability: Sendable, Equatable {
        var name: String
        /// The capability's declared parameters (`{name, type, required, defaultValue, …}`).
        var params: [JSONValue]
    }

    struct Unavailable: Sendable, Equatable {
        var name: String
        var reasonCode: String?
        var reason: String?
    }

    enum Lookup: Sendable, Equatable {
        case available(Capability)
        case unavailable(Unavailable)
        /// Pulse knows no such action for the resource at all.
        case absent
    }

    var capabilities: [Capability]
    var readiness: [Unavailable]

    /// Reads a Pulse resource row, or the `details.pulse` object of a synced record.
    init(_ value: JSONValue) {
        capabilities = (value["capabilities"]?.arrayValue ?? []).compactMap { item in
            item["name"]?.stringValue.map { Capability(name: $0, params: item["params"]?.arrayValue ?? []) }
        }
        readiness = (value["actionReadiness"]?.arrayValue ?? []).compactMap { item in
            guard let name = item["name"]?.stringValue, item["available"]?.boolValue != true else { return nil }
            return Unavailable(name: name, reasonCode: item["reasonCode"]?.stringValue, reason: item["reason"]?.stringValue)
        }
    }

    /// The synced copy of a resource's record; nil when the resource did not come from a Pulse sync.
    static func synced(_ row: ResourceRow) -> PulseCapabilities? {
        // Most stores are ingested: only a record that names `pulse` at all is parsed.
        guard let record = row.record, record.contains("\"pulse\""),
              let pulse = (try? JSONParser.parse(record))?["details"]?["pulse"], pulse.objectValue != nil
        else { return nil }
        return PulseCapabilities(pulse)
    }

    /// Pulse's names for `action`: its own, then its synonym.
    static func names(for action: ControlAction) -> [String] {
        switch action {
        case .restart: ["restart", "reboot"]
        case .reboot: ["reboot", "restart"]
        default: [action.rawValue]
        }
    }

    /// Whether Pulse can run `action` now, cannot (and why), or knows no such action.
    func lookup(_ action: ControlAction) -> Lookup {
        for name in Self.names(for: action) {
            if let capability = capabilities.first(where: { $0.name == name }) { return .available(capability) }
        }
        for name in Self.names(for: action) {
            if let unavailable = readiness.first(where: { $0.name == name }) { return .unavailable(unavailable) }
        }
        return .absent
    }

    /// What explain_control shows for `action` (``ControlSchemas/pulseCapability``).
    func explanation(for action: ControlAction) -> JSONValue {
        var object: JSONObject = [:]
        switch lookup(action) {
        case .available(let capability):
            object["capability"] = .string(capability.name)
            object["available"] = true
        case .unavailable(let unavailable):
            object["capability"] = .string(unavailable.name)
            object["available"] = false
            object.setIfPresent("reasonCode", unavailable.reasonCode.map(JSONValue.string))
            object.setIfPresent("reason", unavailable.reason.map(JSONValue.string))
        case .absent:
            object["capability"] = .null
            object["available"] = false
            object["reason"] = .string(absentReason(for: action))
        }
        object["asOf"] = "the last sync; control_resource reads the resource from Pulse again before acting"
        return .object(object)
    }

    /// Why an action Pulse does not know cannot run, naming what it does offer.
    func absentReason(for action: ControlAction) -> String {
        let offered = capabilities.map(\.name)
        return "Pulse offers no \(action.rawValue) capability for this resource (it offers: "
            + (offered.isEmpty ? "none" : offered.joined(separator: ", ")) + ")."
    }
}
