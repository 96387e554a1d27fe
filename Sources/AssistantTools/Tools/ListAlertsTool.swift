import JSON
import ResourceStore

/// `list_alerts`: active alerts, most severe and newest first.
package struct ListAlertsTool: Tool {
    private let services: ReadServices

    package init(services: ReadServices) {
        self.services = services
    }

    package var descriptor: ToolDescriptor {
        ToolDescriptor(
            name: "list_alerts",
            title: "List alerts",
            description: """
                Lists active alerts, critical first then warning then info, newest first within a severity, \
                optionally only some severities, platforms or one resource; each alert names its resource \
                (only its resourceId when that resource is not in the fleet).
                """,
            inputSchema: Schema.arguments([
                ("severities", ReadSchemas.strings("Severities to include.", enum: ReadSchemas.severities)),
                ("platforms", ReadSchemas.strings("Platform ids or aliases.")),
                ("resourceId", Schema.id("Only alerts on this resource.")),
                ("includeUnsupported", ReadSchemas.includeUnsupported),
                ("limit", ReadSchemas.limit(default: 20)),
                ("cursor", ReadSchemas.cursor),
            ]),
            outputSchema: Schema.object([
                ("alerts", Schema.array(of: AlertSchemas.alert)),
                ("nextCursor", ReadSchemas.nextCursor),
            ], required: ["alerts"]),
            annotations: .read
        )
    }

    package func call(_ object: JSONObject, context: ToolContext) async throws(ToolError) -> JSONValue {
        let given = Arguments(object)
        let (platforms, unknown) = services.gate.resolve(platforms: given.strings("platforms"))
        guard unknown.isEmpty else { throw .rejected(services.gate.unknownPlatforms(unknown)) }
        // An alias and its id are the same filter, for the cursor too.
        let arguments = given.setting("platforms", to: platforms.isEmpty ? nil : JSONValue(platforms))
        var query = AlertQuery()
        query.severities = arguments.strings("severities")
        query.platforms = platforms
        query.resourceId = arguments.string("resourceId")
        query.hiddenPlatforms = services.gate.hidden(includeUnsupported: arguments.bool("includeUnsupported"))
        query.limit = arguments.int("limit", default: 20)
        if let resourceId = query.resourceId {
            // An alias finds the resource; its alerts are kept under the canonical id.
            query.resourceId = try services.resource(id: resourceId, includeUnsupported: arguments.bool("includeUnsupported")).id
        }
        if let position = try QueryCursor.position("list_alerts", arguments, count: 3) {
            query.after = AlertKey(
                rank: try QueryCursor.number(position[0], "list_alerts"),
                since: try QueryCursor.number(position[1], "list_alerts"),
                id: position[2]
            )
        }
        let page = try services.read { try $0.alerts(query) }
        var result: JSONObject = ["alerts": .array(page.rows.map(\.json))]
        if let next = page.next {
            result["nextCursor"] = .string(QueryCursor.token("list_alerts", arguments, position: [String(next.rank), String(next.since), next.id]))
        }
        return .object(result)
    }
}

enum AlertSchemas {
    static let alert = Schema.object([
        ("id", Schema.string()),
        ("severity", Schema.string(enum: ReadSchemas.severities)),
        ("message", Schema.string()),
        ("since", Schema.string("RFC 3339 time the alert started.")),
        ("resourceId", Schema.string()),
        ("resourceName", Schema.string()),
        ("resourceType", Schema.string()),
        ("platform", Schema.string()),
    ], required: ["id", "severity", "message", "since", "resourceId"])
}

extension AlertRow {
    var json: JSONValue {
        var object: JSONObject = [
            "id": .string(id), "severity": .string(severity), "message": .string(message), "since": .string(since.description),
            "resourceId": .string(resourceId),
        ]
        if let resourceName { object["resourceName"] = .string(resourceName) }
        if let resourceType { object["resourceType"] = .string(resourceType) }
        if let platform { object["platform"] = .string(platform) }
        return .object(object)
    }
}
