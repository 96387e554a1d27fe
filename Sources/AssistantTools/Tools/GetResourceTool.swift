import Fleet
import JSON
import Policy
import ResourceStore

/// `get_resource`: one resource in full, with its place in the topology, alerts, recovery and control standing.
///
/// A point lookup: it runs inline, on the reading thread.
package struct GetResourceTool: InlineTool {
    private let services: ReadServices
    private let evaluator: ControlEvaluator

    package init(services: ReadServices, evaluator: ControlEvaluator) {
        self.services = services
        self.evaluator = evaluator
    }

    package var descriptor: ToolDescriptor {
        ToolDescriptor(
            name: "get_resource",
            title: "Get resource",
            description: """
                Returns one resource by id or exact name (give one of the two): its fields, parent chain, child counts by \
                type, active alerts, recovery summary, metrics with history, its platform's support standing, and the \
                control actions open on it now under the operator's control level. An unknown id answers with the closest \
                ids; a name shared by several resources lists them.
                """,
            inputSchema: Schema.arguments([
                ("id", Schema.id("The resource id, e.g. vm/pve-a/101; or give name.")),
                ("name", Schema.text("The exact name, when the id is not known; or give id.")),
                ("includeUnsupported", ReadSchemas.includeUnsupported),
            ]),
            outputSchema: Self.outputSchema,
            annotations: .read
        )
    }

    package func respond(_ object: JSONObject, context: ToolContext) throws(ToolError) -> JSONValue {
        let arguments = Arguments(object)
        let includeUnsupported = arguments.bool("includeUnsupported")
        let row: ResourceRow
        switch (arguments.string("id"), arguments.string("name")) {
        case (let id?, nil):
            // The common case reads the resource and everything about it in one read transaction.
            let (row, facts) = try services.resource(id: id, includeUnsupported: includeUnsupported) { try Facts($0, $1, evaluator) }
            return describe(row, facts)
        case (nil, let name?):
            row = try byName(name, includeUnsupported: includeUnsupported)
        case (nil, nil):
            throw .rejected("get_resource needs the resource: pass id (e.g. vm/pve-a/101; search_resources finds ids) or name (its exact name).")
        case (_?, _?):
            throw .rejected("Give only one of id or name, not both: id when you have it, else name.")
        }
        return describe(row, try services.read { try Facts(row, $0, evaluator) })
    }

    /// What the store says about a resource besides its own row.
    private struct Facts {
        var chain: [ResourceRow]
        var children: [(type: String, count: Int)]
        var alerts: [AlertRow]
        var recovery: RecoverySummary
        var metrics: [(metric: String, first: Timestamp, last: Timestamp, count: Int)]
        /// The policy's decision now for each action the resource's type takes.
        var control: [ControlEvaluator.Evaluation]

        init(_ row: ResourceRow, _ reader: StoreReader, _ evaluator: ControlEvaluator) throws {
            chain = try reader.parentChain(of: row)
            control = try evaluator.evaluations(row: row, chain: chain, reader: reader)
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
            throw .rejected("No resource is named \"\(name.prefix(200))\"." + (try services.closestHint(name, includeUnsupported: includeUnsupported)))
        default:
            let gate = services.gate
            let listed = visible.map { "\($0.id) (\($0.type) on \($0.platform)\(gate.standing(ofPlatform: $0.platform))\($0.parentId.map { ", under \($0)" } ?? ""))" }
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
                ["metric": .string(series.metric), "since": .string(series.first.description), "until": .string(series.last.description),
                 "samples": .integer(Int64(series.count))]
            }),
        ]
        result["control"] = control(platform, facts.control)
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

    /// What control the assistant has over the resource now: each action the type takes, decided now.
    private func control(_ platform: Platform?, _ evaluations: [ControlEvaluator.Evaluation]) -> JSONValue {
        let level = evaluator.settings.level
        let open = evaluations.filter(\.decision.dispatches).map { JSONValue.string($0.inputs.action.rawValue) }
        let note = if level == .readOnly {
            "The server runs at control level read-only: no control action is open. The operator sets the level; a tool call cannot."
        } else if open.isEmpty {
            "No control action is open on this resource now; explain_control says why, and what would change it."
        } else {
            "The open actions can be asked for with control_resource\(level == .controlled ? ", each after a human approves it" : ""); explain_control says why the others are closed."
        }
        return [
            "assistantControl": JSONValue(platform?.isSupported == true ? platform?.assistantControlClass?.rawValue : nil),
            "controlLevel": .string(level.rawValue),
            "openActions": .array(open),
            "options": .array(evaluations.map { evaluation in
                var option: JSONObject = [
                    "action": .string(evaluation.inputs.action.rawValue),
                    "outcome": .string(evaluation.outcome),
                    "needsApproval": .bool(evaluation.decision.needsApproval),
                ]
                option.setIfPresent("code", evaluation.decision.refusalCode.map { .string($0.rawValue) })
                option.setIfPresent("route", evaluation.decision.route.map(\.json))
                return .object(option)
            }),
            "note": .string(note),
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
            ("assistantControl", Schema.string("The platform's assistant-control class; null when it is not supported.", nullable: true)),
            ("controlLevel", Schema.string(enum: ControlLevel.allCases.map(\.rawValue))),
            ("openActions", Schema.array(of: Schema.string(enum: ControlAction.allCases.map(\.rawValue)), description: "Actions control_resource would dispatch now.")),
            ("options", Schema.array(of: Schema.object([
                ("action", Schema.string(enum: ControlAction.allCases.map(\.rawValue))),
                ("outcome", Schema.string(enum: ["execute", "route", "refuse"])),
                ("needsApproval", Schema.boolean()),
                ("code", Schema.string("The refusal code.", enum: RefusalCode.allCases.map(\.rawValue))),
                ("route", ControlSchemas.route),
            ], required: ["action", "outcome", "needsApproval"]), description: "Every action the type takes, decided now.")),
            ("note", Schema.string()),
        ], required: ["assistantControl", "controlLevel", "openActions", "options", "note"])
        return Schema.object([
            ("resource", ReadSchemas.resourceRow),
            ("platformSupport", standing),
            ("parentChain", Schema.array(of: ReadSchemas.reference, description: "Ancestors, nearest first.")),
            ("childCounts", ["type": "object", "additionalProperties": ["type": "integer"], "description": "Direct children by type."]),
            ("alerts", Schema.array(of: ["type": "object"], description: "Active alerts, as list_alerts gives them.")),
            ("recovery", recovery),
            ("metricHistory", Schema.array(of: Schema.object([
                ("metric", Schema.string()), ("since", Schema.string()), ("until", Schema.string()), ("samples", ["type": "integer", "minimum": 1]),
            ], required: ["metric", "since", "until", "samples"]), description: "Metrics with history, for get_metrics.")),
            ("control", control),
        ], required: ["resource", "platformSupport", "parentChain", "childCounts", "alerts", "recovery", "metricHistory", "control"])
    }()
}
