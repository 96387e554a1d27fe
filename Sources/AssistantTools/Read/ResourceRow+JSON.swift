import JSON
import ResourceStore

extension ResourceRow {
    /// The compact row lists show; with `detail`, also tags, metrics, identity, sources and details
    /// from the record. Resources of unsupported platforms carry a `platformSupport` label.
    func json(gate: ReadGate, detail: Bool = false) -> JSONValue {
        var writer = JSONWriter(capacity: detail ? 1024 : 512)
        write(to: &writer, gate: gate, detail: detail)
        return .serialized(writer.finish())
    }

    /// Writes the row (``json(gate:detail:)``) straight into `writer`: rows are written by the page,
    /// and a tree for each cost more than its text.
    func write(to writer: inout JSONWriter, gate: ReadGate, detail: Bool) {
        writer.beginObject()
        writer.key("id")
        writer.string(id)
        writer.key("type")
        writer.string(type)
        writer.key("platform")
        writer.string(platform)
        writer.key("name")
        writer.string(name)
        writer.key("status")
        writer.string(status)
        if let powerState {
            writer.key("powerState")
            writer.string(powerState)
        }
        if let technology {
            writer.key("technology")
            writer.string(technology)
        }
        if let parentId {
            writer.key("parentId")
            writer.string(parentId)
        }
        if let cpu {
            writer.key("cpu")
            writer.double(Self.rounding(cpu))
        }
        if let memoryUsage {
            writer.key("memoryUsage")
            writer.double(Self.rounding(memoryUsage))
        }
        if let diskUsage {
            writer.key("diskUsage")
            writer.double(Self.rounding(diskUsage))
        }
        if let lastSeen {
            writer.key("lastSeen")
            writer.string(lastSeen.description)
        }
        if detail, let full = recordObject {
            for key in Self.recordKeys {
                guard let value = full[key] else { continue }
                writer.key(key)
                writer.value(value)
            }
        }
        if let label = gate.label(forPlatform: platform) {
            writer.key("platformSupport")
            writer.value(label)
        }
        writer.endObject()
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
        .double(rounding(value))
    }

    static func rounding(_ value: Double) -> Double {
        (value * 10_000).rounded() / 10_000
    }
}
