import JSONRPC
import Policy
import ResourceStore

/// `get_resource`: one resource in full, with its place in the topology, alerts, recovery and control standing.
///
/// A point lookup: it runs inline, on the reading thread.
public struct GetResourceTool: InlineTool {
    private let services: ReadServices

    public init(services: ReadServices) {
        self.services = services
    }

    public var descriptor: ToolDescriptor {
        ToolDescriptor(
            name: "get_resource",
            title: "Get resource",
            description: """
                Returns one resource by id or exact name: its fields, metrics, identity and details, its parent chain, \
                how many children of each type it has, its active alerts, a summary of its recovery points, the \
                metrics that have history, and its platform's support standing with the assistant-control class. An unknown id answers with the closest \
                ids; a name shared by several resources lists them.
                """,
            inputSchema: Schema.object([
                ("id", Schema.string("The resource id, e.g. vm/pve-a/101.")),
                ("name", Schema.string("The resource's exact name, when the id is not known.")),
                ("includeUnsupported", ReadSchemas.includeUnsupported),
            ]),
            outputSchema: Self.outputSchema,
            annotations: .read
        )
    }

    public func respond(_ object: JSONObject, context: ToolContext) throws(ToolError) -> JSONValue {
        let arguments = Arguments(object)
        let includeUnsupported = arguments.bool("includeUnsupported")
        let row: ResourceRow
        switch (arguments.string("id"), arguments.string("name")) {
        case (let id?, nil):
            // The common case reads the resource and everything about it in one read transaction.
            let (row, facts) = try services.resource(id: id, includeUnsupported: includeUnsupported) { try Facts($0, $1) }
            return describe(row, facts)
        case (nil, let name?):
            row = try byName(name, includeUnsupported: includeUnsupported)
        default:
            throw .rejected("Give exactly one of id or name.")
        }
        return describe(row, try services.read { try Facts(row, $0) })
    }

    /// What the store says about a resource besides its own row.
    private struct Facts {
        var chain: [ResourceRow]
        var children: [(type: String, count: Int)]
        var alerts: [AlertRow]
        var recovery: RecoverySummary
        var metrics: [(metric: String, first: Timestamp, last: Timestamp, count: Int)]

        init(_ row: ResourceRow, _ reader: StoreReader) throws {
            chain = try reader.parentChain(of: row)
            children = try reader.childCounts(of: row.id)
            alerts = try reader.alerts(on: row.id)
            recovery = try reader.recoverySummary(of: row.id)
            metrics = try reader.metrics(of: row.id)
        }
    }

    private func byName(_ name: String, includeUnsupported: Bool) throws(ToolError) -> ResourceRow {
        let named = try services.read { try $0.resources(named: name) }
        let visible = named.filter { includeUnsupported || !services.gate.isHidden($0.platform) }
        switch visible.count {
        case 1:
            return visible[0]
        case 0 where !named.isEmpty:
            throw .rejected(services.gate.refusal(for: named[0]))
        case 0:
            throw .rejected("No resource is named \"\(name.prefix(200))\"." + (try services.closestHint(name)))
        default:
            let listed = visible.map { "\($0.id) (\($0.type) on \($0.platform)\($0.parentId.map { ", under \($0)" } ?? ""))" }
            throw .rejected("\(visible.count) resources are named \"\(name.prefix(200))\": \(listed.joined(separator: "; ")). Ask again by id.")
        }
    }

    private func describe(_ row: ResourceRow, _ facts: Facts) -> JSONValue {
        let gate = services.gate
        let (chain, children, alerts, recovery, metrics) = (facts.chain, facts.children, facts.alerts, facts.recovery, facts.metrics)
        let platform = gate.platform(row.platform)
        var result: JSONObject = [
            "resource": row.json(gate: gate, detail: true),
            "platformSupport": Self.standing(platform, id: row.platform),
            "parentChain": .array(chain.map(\.reference)),
            "childCounts": .object(JSONObject(children.map { ($0.type, .integer(Int64($0.count))) })),
            "alerts": .array(alerts.map(\.json)),
            "recovery": Self.recovery(recovery, platform: platform),
            "metricHistory": .array(metrics.map { series in
                ["metric": .string(series.metric), "from": .string(series.first.description), "to": .string(series.last.description),
                 "samples": .integer(Int64(series.count))]
            }),
        ]
        result["control"] = Self.control(platform)
        return .object(result)
    }

    /// The platform's standing for the assistant.
    static func standing(_ platform: Platform?, id: String) -> JSONValue {
        guard let platform else { return ["id": .string(id), "supported": false, "statement": .string("\(id) is not a known platform.")] }
        return [
            "id": .string(platform.id.rawValue),
            "supported": .bool(platform.isSupported),
            "governanceState": .string(platform.governance.rawValue),
            "readinessStage": JSONValue(platform.readinessStage?.rawValue),
            "assistantControl": JSONValue(platform.assistantControlClass?.rawValue),
            "statement": .string(platform.statement),
        ]
    }

    static func recovery(_ summary: RecoverySummary, platform: Platform?) -> JSONValue {
        let surface = platform?.supportFloor?.recovery?.rawValue ?? "n/a"
        var object: JSONObject = ["surface": .string(surface), "count": .integer(Int64(summary.count))]
        object.setIfPresent("latest", summary.latest.map(\.json))
        object.setIfPresent("latestVerified", summary.latestVerified.map(\.json))
        return .object(object)
    }

    /// What control the assistant has over the resource now. This build serves at control level
    /// read-only, so no action is open whatever the class.
    static func control(_ platform: Platform?) -> JSONValue {
        [
            "assistantControl": JSONValue(platform?.assistantControlClass?.rawValue),
            "controlLevel": "read-only",
            "openActions": [],
            "note": "The server runs at control level read-only: no control action is open. The operator sets the level; a tool call cannot.",
        ]
    }

    private static let outputSchema: JSONValue = {
        let standing = Schema.object([
            ("id", Schema.string()), ("supported", Schema.boolean()),
            ("governanceState", Schema.string(enum: ["supported", "admitted", "presentation-only"])),
            ("readinessStage", Schema.string(nullable: true)), ("assistantControl", Schema.string(nullable: true)),
            ("statement", Schema.string()),
        ], required: ["id", "supported", "statement"])
        let recovery = Schema.object([
            ("surface", Schema.string("The platform's recovery surface in the support matrix.", enum: ["supported", "augmentation-only", "read-only", "n/a"])),
            ("count", ["type": "integer", "minimum": 0]),
            ("latest", RecoverySchemas.point), ("latestVerified", RecoverySchemas.point),
        ], required: ["surface", "count"])
        let control = Schema.object([
            ("assistantControl", Schema.string(nullable: true)), ("controlLevel", Schema.string()),
            ("openActions", Schema.array(of: Schema.string())), ("note", Schema.string()),
        ], required: ["assistantControl", "controlLevel", "openActions"])
        return Schema.object([
            ("resource", ReadSchemas.resourceRow),
            ("platformSupport", standing),
            ("parentChain", Schema.array(of: ReadSchemas.reference, description: "Ancestors, nearest first.")),
            ("childCounts", ["type": "object", "additionalProperties": ["type": "integer"], "description": "Direct children by type."]),
            ("alerts", Schema.array(of: AlertSchemas.alert)),
            ("recovery", recovery),
            ("metricHistory", Schema.array(of: Schema.object([
                ("metric", Schema.string()), ("from", Schema.string()), ("to", Schema.string()), ("samples", ["type": "integer", "minimum": 1]),
            ], required: ["metric", "from", "to", "samples"]), description: "Metrics with history, for get_metrics.")),
            ("control", control),
        ], required: ["resource", "platformSupport", "parentChain", "childCounts", "alerts", "recovery", "metricHistory", "control"])
    }()
}
