import JSON
import ResourceStore

/// `get_topology`: a subtree of the resource graph — cluster → nodes → guests, k8s cluster → nodes → pods.
public struct GetTopologyTool: Tool {
    private let services: ReadServices

    public init(services: ReadServices) {
        self.services = services
    }

    public var descriptor: ToolDescriptor {
        ToolDescriptor(
            name: "get_topology",
            title: "Get topology",
            description: """
                Returns the tree of resources under one resource (or under every top-level resource when rootId is \
                omitted) to a depth: nodes under a cluster, guests under a node, pods under a Kubernetes node. Each \
                node gives its child count, so a cut-off branch is visible; at most maxNodes nodes are returned.
                """,
            inputSchema: Schema.object([
                ("rootId", Schema.string("The resource at the top of the tree; omit for all top-level resources.")),
                ("depth", ["type": "integer", "minimum": 1, "maximum": 6, "description": "Levels below the root to include (default 2)."]),
                ("maxNodes", ["type": "integer", "minimum": 1, "maximum": 2000, "description": "At most this many nodes in all (default 200)."]),
                ("includeUnsupported", ReadSchemas.includeUnsupported),
            ]),
            outputSchema: Schema.object([
                ("roots", Schema.array(of: ["$ref": "#/$defs/node"])),
                ("nodeCount", ["type": "integer"]),
                ("truncated", Schema.boolean("True when maxNodes cut the tree short.")),
            ], required: ["roots", "nodeCount", "truncated"]).adding(definitions: ["node": Self.nodeSchema]),
            annotations: .read
        )
    }

    public func call(_ object: JSONObject, context: ToolContext) async throws(ToolError) -> JSONValue {
        let arguments = Arguments(object)
        let includeUnsupported = arguments.bool("includeUnsupported")
        let hidden = services.gate.hidden(includeUnsupported: includeUnsupported)
        var budget = arguments.int("maxNodes", default: 200)
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
        let used = arguments.int("maxNodes", default: 200) - budget
        return ["roots": .array(roots), "nodeCount": .integer(Int64(used)), "truncated": .bool(truncated)]
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

    private static let nodeSchema = Schema.object([
        ("id", Schema.string()), ("type", Schema.string()), ("platform", Schema.string()), ("name", Schema.string()),
        ("status", Schema.string()), ("powerState", Schema.string()), ("platformSupport", ReadSchemas.platformSupportLabel),
        ("childCount", ["type": "integer", "minimum": 0, "description": "Direct children, shown or not."]),
        ("children", Schema.array(of: ["$ref": "#/$defs/node"])),
    ], required: ["id", "type", "platform", "name", "status", "childCount"])
}
