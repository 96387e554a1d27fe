import JSON
import Policy
import ResourceStore

/// `explain_control`: the decision the policy would take now for a resource and an action (or every
/// action its type takes), and why. It reads; it never dispatches and records no action.
///
/// Point lookups only: it runs inline.
package struct ExplainControlTool: InlineTool {
    private let services: ReadServices
    private let evaluator: ControlEvaluator

    package init(services: ReadServices, evaluator: ControlEvaluator) {
        self.services = services
        self.evaluator = evaluator
    }

    package var descriptor: ToolDescriptor {
        ToolDescriptor(
            name: "explain_control",
            title: "Explain control",
            description: """
                Explains what a control call on a resource would get now, without doing anything: for one action or every \
                action its type takes, the policy's decision (execute, route to the augmenting Pulse agent, or refuse), the \
                assistant-control class, the control level, whether a human must approve, the route, and for a refusal its \
                code and what would change it. scale is judged for a valid replica count unless replicas is given.
                """,
            inputSchema: Schema.arguments([
                ("resourceId", Schema.id("The resource id, e.g. vm/pve-a/101.")),
                ("action", Schema.string("One action; omit for every action of the type.", enum: ControlAction.allCases.map(\.rawValue))),
                ("replicas", ["type": "integer", "minimum": 0, "maximum": 10_000, "description": "For scale: the replica count to judge."]),
            ], required: ["resourceId"]),
            outputSchema: Schema.object([
                ("resource", ReadSchemas.reference),
                ("controlLevel", Schema.string(enum: ControlLevel.allCases.map(\.rawValue))),
                ("decisions", Schema.array(of: ControlSchemas.decision, description: "One per action, in the order the type lists them.")),
                ("note", Schema.string("Present when the resource's type takes no control action.")),
            ], required: ["resource", "controlLevel", "decisions"]),
            annotations: .read
        )
    }

    package func respond(_ object: JSONObject, context: ToolContext) throws(ToolError) -> JSONValue {
        let arguments = Arguments(object)
        let resourceId = arguments.string("resourceId") ?? ""
        let asked = arguments.string("action").flatMap(ControlAction.init(rawValue:))
        let replicas = object["replicas"]?.integerValue.map { Int($0) }
        let found = try services.read { reader -> (ResourceRow, [ControlEvaluator.Evaluation])? in
            guard let row = try reader.resource(id: resourceId) else { return nil }
            let chain = try reader.parentChain(of: row)
            return (row, try evaluator.evaluations(row: row, chain: chain, actions: asked.map { [$0] }, replicas: replicas, reader: reader))
        }
        guard let (row, evaluations) = found else { throw .rejected(try services.notFound(resourceId, includeUnsupported: false)) }
        let synced = PulseCapabilities.synced(row)
        var result: JSONObject = [
            "resource": row.reference,
            "controlLevel": .string(evaluator.settings.level.rawValue),
            "decisions": .array(evaluations.map { evaluation in
                var decision = evaluation.json(manifest: evaluator.manifest)
                if let synced, case .object(var object) = decision {
                    object["pulse"] = synced.explanation(for: evaluation.inputs.action)
                    decision = .object(object)
                }
                return decision
            }),
        ]
        if evaluations.isEmpty {
            result["note"] = .string("A \(row.type) takes no control action; nothing can be started, stopped or changed on it through the assistant.")
        }
        return .object(result)
    }
}
