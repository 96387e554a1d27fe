import JSONRPC
import ResourceStore

extension ResourceRow {
    /// The compact row lists show; with `detail`, also tags, metrics, identity, sources and details
    /// from the record. Resources of unsupported platforms carry a `platformSupport` label.
    func json(gate: ReadGate, detail: Bool = false) -> JSONValue {
        var object: JSONObject = [
            "id": .string(id), "type": .string(type), "platform": .string(platform), "name": .string(name), "status": .string(status),
        ]
        object.setIfPresent("powerState", powerState.map(JSONValue.string))
        object.setIfPresent("technology", technology.map(JSONValue.string))
        object.setIfPresent("parentId", parentId.map(JSONValue.string))
        object.setIfPresent("cpu", cpu.map(Self.rounded))
        object.setIfPresent("memoryUsage", memoryUsage.map(Self.rounded))
        object.setIfPresent("diskUsage", diskUsage.map(Self.rounded))
        object.setIfPresent("lastSeen", lastSeen.map { .string($0.description) })
        if detail, let full = recordObject {
            for key in ["tags", "metrics", "identity", "sources", "details"] {
                object.setIfPresent(key, full[key])
            }
        }
        object.setIfPresent("platformSupport", gate.label(forPlatform: platform))
        return .object(object)
    }

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
