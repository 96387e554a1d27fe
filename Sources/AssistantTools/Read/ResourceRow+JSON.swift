import JSONRPC
import ResourceStore

extension ResourceRow {
    /// The compact row lists show; with `detail`, also tags, metrics, identity, sources and details
    /// from the record. Resources of unsupported platforms carry a `platformSupport` label.
    func json(gate: ReadGate, detail: Bool = false) -> JSONValue {
        // Keys are this code's own and each is added once: rows are built by the page, without lookups.
        var object = JSONObject()
        object.reserveCapacity(detail ? 18 : 13)
        object.append(newKey: "id", .string(id))
        object.append(newKey: "type", .string(type))
        object.append(newKey: "platform", .string(platform))
        object.append(newKey: "name", .string(name))
        object.append(newKey: "status", .string(status))
        if let powerState { object.append(newKey: "powerState", .string(powerState)) }
        if let technology { object.append(newKey: "technology", .string(technology)) }
        if let parentId { object.append(newKey: "parentId", .string(parentId)) }
        if let cpu { object.append(newKey: "cpu", Self.rounded(cpu)) }
        if let memoryUsage { object.append(newKey: "memoryUsage", Self.rounded(memoryUsage)) }
        if let diskUsage { object.append(newKey: "diskUsage", Self.rounded(diskUsage)) }
        if let lastSeen { object.append(newKey: "lastSeen", .string(lastSeen.description)) }
        if detail, let full = recordObject {
            for key in Self.recordKeys {
                if let value = full[key] { object.append(newKey: key, value) }
            }
        }
        if let label = gate.label(forPlatform: platform) { object.append(newKey: "platformSupport", label) }
        return .object(object)
    }

    /// The record's fields a detailed row adds, in order.
    private static let recordKeys = ["tags", "metrics", "identity", "sources", "details"]

    /// The stored record, parsed; nil when it was not loaded.
    var recordObject: JSONObject? {
        guard let record else { return nil }
        return (try? JSONParser.parse(record))?.objectValue
    }

    /// A short reference: for parent chains and ambiguity lists.
    var reference: JSONValue {
        ["id": .string(id), "type": .string(type), "platform": .string(platform), "name": .string(name)]
    }

    /// Ratios to four decimals: enough for an operator, stable in transcripts.
    static func rounded(_ value: Double) -> JSONValue {
        .double((value * 10_000).rounded() / 10_000)
    }
}
