import Fleet
import JSON
import Policy
import ResourceStore

/// `list_recovery_points`: backups and snapshots of a resource — only where its platform's recovery surface is supported.
package struct ListRecoveryPointsTool: Tool {
    private let services: ReadServices

    package init(services: ReadServices) {
        self.services = services
    }

    package var descriptor: ToolDescriptor {
        ToolDescriptor(
            name: "list_recovery_points",
            title: "List recovery points",
            description: """
                Lists the backups and snapshots of one resource, newest first, with size and verification. Only \
                platforms whose recovery surface is supported have recovery points; for the others the answer says so \
                (available: false and why) instead of an empty list.
                """,
            inputSchema: Schema.arguments([
                ("resourceId", Schema.id("The resource whose recovery points to list.")),
                ("kind", Schema.string("Only backups or only snapshots.", enum: RecoveryKind.words)),
                ("includeUnsupported", ReadSchemas.includeUnsupported),
                ("limit", ReadSchemas.limit(default: 25)),
                ("cursor", ReadSchemas.cursor),
            ], required: ["resourceId"]),
            outputSchema: Schema.object([
                ("resourceId", Schema.string()),
                ("platform", Schema.string()),
                ("recoverySurface", Schema.string("The platform's recovery surface in the support matrix.", enum: ["supported", "augmentation-only", "read-only", "n/a"])),
                ("available", Schema.boolean("False when the platform has no recovery surface: there is nothing to list.")),
                ("reason", Schema.string("Why there is nothing to list, when available is false.")),
                ("recoveryPoints", Schema.array(of: RecoverySchemas.point)),
                ("nextCursor", ReadSchemas.nextCursor),
            ], required: ["resourceId", "platform", "recoverySurface", "available"]),
            annotations: .read
        )
    }

    package func call(_ object: JSONObject, context: ToolContext) async throws(ToolError) -> JSONValue {
        let arguments = Arguments(object)
        let resourceId = arguments.string("resourceId") ?? ""
        let row = try services.resource(id: resourceId, includeUnsupported: arguments.bool("includeUnsupported"))
        let surface = services.gate.platform(row.platform)?.supportFloor?.recovery ?? .notApplicable
        var result: JSONObject = [
            "resourceId": .string(row.id), "platform": .string(row.platform), "recoverySurface": .string(surface.rawValue),
        ]
        guard surface == .supported else {
            result["available"] = false
            result["reason"] = .string(
                "Recovery is \(surface.rawValue) for \(row.platform) in the support matrix: Pulse keeps no governed recovery points "
                    + "for its resources, so there is nothing to list (an empty list would wrongly suggest that none exist)."
            )
            return .object(result)
        }
        var after: RecoveryPointKey?
        if let position = try QueryCursor.position("list_recovery_points", arguments, count: 2) {
            after = RecoveryPointKey(at: try QueryCursor.number(position[0], "list_recovery_points"), id: position[1])
        }
        let limit = arguments.int("limit", default: 25)
        let page = try services.read { try $0.recoveryPoints(of: row.id, kind: arguments.string("kind"), after: after, limit: limit) }
        result["available"] = true
        result["recoveryPoints"] = .array(page.rows.map(\.json))
        if let next = page.next {
            result["nextCursor"] = .string(QueryCursor.token("list_recovery_points", arguments, position: [String(next.at), next.id]))
        }
        return .object(result)
    }
}

enum RecoverySchemas {
    static let point = Schema.object([
        ("id", Schema.string()),
        ("kind", Schema.string(enum: RecoveryKind.words)),
        ("at", Schema.string("RFC 3339 time the point was taken.")),
        ("platform", Schema.string("The platform holding it, e.g. proxmox-pbs for a backup of a PVE guest.")),
        ("sizeBytes", ["type": "integer", "minimum": 0]),
        ("verified", Schema.boolean()),
    ], required: ["id", "kind", "at", "platform"])
}

extension RecoveryPointRow {
    var json: JSONValue {
        var object: JSONObject = ["id": .string(id), "kind": .string(kind), "at": .string(at.description), "platform": .string(platform)]
        object.setIfPresent("sizeBytes", sizeBytes.map(JSONValue.integer))
        object.setIfPresent("verified", verified.map(JSONValue.bool))
        return .object(object)
    }
}
