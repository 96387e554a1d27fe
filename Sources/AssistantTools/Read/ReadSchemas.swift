import Fleet
import JSON
import Policy

/// Schemas shared by the read tools' contracts.
enum ReadSchemas {
    static let resourceTypes = ResourceType.allCases.map(\.rawValue)
    static let statuses = ResourceStatus.words
    static let powerStates = PowerState.words
    static let severities = AlertSeverity.words

    static let includeUnsupported = Schema.boolean(
        "Include unsupported platforms' resources, labelled. Default false."
    )

    static func limit(default value: Int = 50) -> JSONValue {
        ["type": "integer", "minimum": 1, "maximum": 500, "description": .string("Rows per page (default \(value)).")]
    }

    static let cursor = Schema.text("The previous page's nextCursor.", maxLength: Schema.Limits.cursor)
    static let nextCursor = Schema.string("Present when there are more rows: pass it as cursor to get them.")

    /// A filter's set of values: a repeated one counts once (the registry drops it), `[]` is no filter.
    static func strings(_ description: String, enum values: [String]? = nil) -> JSONValue {
        var item: JSONObject = ["type": "string"]
        if let values {
            item["enum"] = .array(values.map(JSONValue.string))
        } else {
            item["maxLength"] = .integer(Int64(Schema.Limits.text))
        }
        return ["type": "array", "items": .object(item), "maxItems": 32, "description": .string(description)]
    }

    /// The label a resource of an unsupported platform carries.
    static let platformSupportLabel = Schema.object([
        ("supported", Schema.boolean()),
        ("governanceState", Schema.string(enum: ["supported", "admitted", "presentation-only"])),
        ("readinessStage", Schema.string(enum: ["architecture-locked", "first-lab-ready", "supported"], nullable: true)),
    ], required: ["supported", "governanceState", "readinessStage"])

    static let ratio: JSONValue = ["type": "number", "minimum": 0, "maximum": 1]

    /// A resource row: compact, or with `detail` the record's tags, metrics, identity, sources and details.
    static let resourceRow = Schema.object([
        ("id", Schema.string()),
        ("type", Schema.string(enum: resourceTypes)),
        ("platform", Schema.string()),
        ("name", Schema.string()),
        ("status", Schema.string(enum: statuses)),
        ("powerState", Schema.string(enum: powerStates)),
        ("technology", Schema.string("Runtime variant or workload technology, e.g. qemu, lxc, podman.")),
        ("parentId", Schema.string()),
        ("cpu", ratio),
        ("memoryUsage", ratio),
        ("diskUsage", ratio),
        ("lastSeen", Schema.string("RFC 3339 time.")),
        ("tags", Schema.array(of: Schema.string())),
        ("metrics", ["type": "object"]),
        ("identity", ["type": "object"]),
        ("sources", Schema.array(of: Schema.string())),
        ("details", ["type": "object"]),
        ("platformSupport", platformSupportLabel),
    ], required: ["id", "type", "platform", "name", "status"])

    static let reference = Schema.object([
        ("id", Schema.string()), ("type", Schema.string()), ("platform", Schema.string()), ("name", Schema.string()),
    ], required: ["id", "type", "platform", "name"])
}
