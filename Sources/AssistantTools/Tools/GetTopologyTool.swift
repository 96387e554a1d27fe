import JSON
import ResourceStore

/// `get_topology`: a subtree of the resource graph — cluster → nodes → guests, k8s cluster → nodes → pods.
package struct GetTopologyTool: Tool {
    private let services: ReadServices

    package init(services: ReadServices) {
        self.services = services
    }

    package var descriptor: ToolDescriptor {
        ToolDescriptor(
            name: "get_topology",
            title: "Get topology",
            description: """
                Returns the tree of resources under one resource (or under every top-level resource when rootId is \
                omitted) to a depth: nodes under a cluster, guests under a node, pods under a Kubernetes node. Each \
                node gives its child count, so a cut-off branch is visible; at most maxNodes nodes are returned.
                """,
            inputSchema: Schema.arguments([
                ("rootId", Schema.id("The top of the tree; omit for all top-level resources.")),
                ("depth", Schema.integer("Levels below the root to include (default 2).", minimum: 1, maximum: Self.maxDepth)),
                ("maxNodes", Schema.integer("At most this many nodes in all (default \(Self.defaultMaxNodes)).", minimum: 1, maximum: 2000)),
                ("includeUnsupported", ReadSchemas.includeUnsupported),
            ]),
            outputSchema: Self.outputSchema,
            annotations: .read
        )
    }

    package func call(_ object: JSONObject, context: ToolContext) async throws(ToolError) -> JSONValue {
        let arguments = Arguments(object)
        let includeUnsupported = arguments.bool("includeUnsupported")
        let hidden = services.gate.hidden(includeUnsupported: includeUnsupported)
        let maxNodes = arguments.int("maxNodes", default: Self.defaultMaxNodes)
        var budget = maxNodes
        let depth = arguments.int("depth", default: 2)
        var truncated = false
        let tops: [ResourceRow]
        if let rootId = arguments.string("rootId") {
            tops = [try services.resource(id: rootId, includeUnsupported: includeUnsupported)]
        } else {
            tops = try services.read { try $0.children(of: nil, hiddenPlatforms: hidden, limit: budget + 1) }
        }
        var roots: [JSONValue] = []
        for top in tops {
            guard budget > 0 else {
                truncated = true
                break
            }
            budget -= 1
            roots.append(try node(top, depth: depth, hidden: hidden, budget: &budget, truncated: &truncated))
        }
        var result: JSONObject = ["roots": .array(roots), "nodeCount": .integer(Int64(maxNodes - budget)), "truncated": .bool(truncated)]
        if truncated {
            result["note"] = .string(
                "The tree was cut at \(maxNodes) nodes; childCount shows what each node holds. Ask for one subtree with rootId, "
                    + "fewer levels with depth, or more nodes with maxNodes (up to 2000)."
            )
        }
        return .object(result)
    }

    private func node(
        _ row: ResourceRow, depth: Int, hidden: [String], budget: inout Int, truncated: inout Bool
    ) throws(ToolError) -> JSONValue {
        var object: JSONObject = ["id": .string(row.id), "type": .string(row.type), "platform": .string(row.platform), "name": .string(row.name),
                                  "status": .string(row.status)]
        object.setIfPresent("powerState", row.powerState.map(JSONValue.string))
        object.setIfPresent("platformSupport", services.gate.label(forPlatform: row.platform))
        var countQuery = ResourceQuery()
        countQuery.parentId = row.id
        countQuery.hiddenPlatforms = hidden
        let childCount = try services.read { try $0.count(countQuery) }
        object["childCount"] = .integer(Int64(childCount))
        guard depth > 0, childCount > 0 else { return .object(object) }
        guard budget > 0 else {
            truncated = true
            return .object(object)
        }
        let children = try services.read { try $0.children(of: row.id, hiddenPlatforms: hidden, limit: budget) }
        if children.count < childCount { truncated = true }
        var nodes: [JSONValue] = []
        for child in children {
            budget -= 1
            nodes.append(try node(child, depth: depth - 1, hidden: hidden, budget: &budget, truncated: &truncated))
        }
        object["children"] = .array(nodes)
        return .object(object)
    }

    /// At most this many nodes unless the caller asks for more: a default answer stays within the context budget.
    static let defaultMaxNodes = 40

    /// The deepest `depth` a caller may ask for.
    static let maxDepth = 6

    /// The tree, unrolled: a node at level k holds nodes of level k + 1, down to ``maxDepth`` below
    /// the roots, where a node is the plain `node`. Not recursive, so that converters which inline
    /// every `$ref` (Gemini's, smolagents') can.
    private static let outputSchema: JSONValue = {
        var definitions: [String: JSONValue] = [
            "node": Schema.object([
                ("id", Schema.string()), ("type", Schema.string()), ("platform", Schema.string()), ("name", Schema.string()),
                ("status", Schema.string()), ("powerState", Schema.string()), ("platformSupport", ["type": "object"]),
                ("childCount", Schema.integer("Direct children, shown or not.", minimum: 0)),
            ], required: ["id", "type", "platform", "name", "status", "childCount"]),
        ]
        for level in 0..<maxDepth {
            let below = level + 1 < maxDepth ? "#/$defs/node\(level + 1)" : "#/$defs/node"
            definitions["node\(level)"] = [
                "allOf": [["$ref": "#/$defs/node"]],
                "properties": ["children": Schema.array(of: ["$ref": .string(below)])],
            ]
        }
        return Schema.object([
            ("roots", Schema.array(of: ["$ref": "#/$defs/node0"])),
            ("nodeCount", ["type": "integer"]),
            ("truncated", Schema.boolean("True when maxNodes cut the tree short.")),
            ("note", Schema.string("How to see the rest, when the tree was cut short.")),
        ], required: ["roots", "nodeCount", "truncated"]).adding(definitions: definitions)
    }()
}
