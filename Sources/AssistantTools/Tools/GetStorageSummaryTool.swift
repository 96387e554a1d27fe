import JSON
import ResourceStore

/// `get_storage_summary`: storage pools, Ceph and physical disks — capacity, usage and health.
package struct GetStorageSummaryTool: Tool {
    private let services: ReadServices

    package init(services: ReadServices) {
        self.services = services
    }

    package var descriptor: ToolDescriptor {
        ToolDescriptor(
            name: "get_storage_summary",
            title: "Storage summary",
            description: """
                Summarises storage (pools and datastores), Ceph and physical disks: totals of capacity, use and \
                unhealthy members by type and platform, then the fullest resources as compact rows (detail: true for \
                their full records; limit and cursor page on); minUsage keeps only those at least that full.
                """,
            inputSchema: Schema.arguments([
                ("types", ReadSchemas.strings("Storage types to include (default all three).", enum: ResourceStore.storageTypes)),
                ("platforms", ReadSchemas.strings("Platform ids or aliases.")),
                ("minUsage", ["type": "number", "minimum": 0, "maximum": 1, "description": "Only those at least this full, e.g. 0.8."]),
                ("detail", Schema.boolean("Full records in the rows. Default false.")),
                ("includeUnsupported", ReadSchemas.includeUnsupported),
                ("limit", ReadSchemas.limit(default: 10)),
                ("cursor", ReadSchemas.cursor),
            ]),
            outputSchema: Schema.object([
                ("totals", Schema.array(of: Schema.object([
                    ("type", Schema.string()), ("platform", Schema.string()), ("count", ["type": "integer"]),
                    ("unhealthy", ["type": "integer", "description": "Members whose status is not online."]),
                    ("totalBytes", ["type": "integer"]), ("usedBytes", ["type": "integer"]), ("usage", ReadSchemas.ratio),
                ], required: ["type", "platform", "count", "unhealthy", "totalBytes", "usedBytes"]))),
                ("resources", Schema.array(of: ReadSchemas.resourceRow)),
                ("nextCursor", ReadSchemas.nextCursor),
            ], required: ["totals", "resources"]),
            annotations: .read
        )
    }

    package func call(_ object: JSONObject, context: ToolContext) async throws(ToolError) -> JSONValue {
        let given = Arguments(object, defaults: ["types": JSONValue(ResourceStore.storageTypes)])
        let (platforms, unknown) = services.gate.resolve(platforms: given.strings("platforms"))
        guard unknown.isEmpty else { throw .rejected(services.gate.unknownPlatforms(unknown)) }
        // An alias and its id are the same filter, for the cursor too.
        let arguments = given.setting("platforms", to: platforms.isEmpty ? nil : JSONValue(platforms))
        var query = ResourceQuery()
        query.types = arguments.strings("types").isEmpty ? ResourceStore.storageTypes : arguments.strings("types")
        query.platforms = platforms
        query.minDiskUsage = arguments.double("minUsage")
        query.hiddenPlatforms = services.gate.hidden(includeUnsupported: arguments.bool("includeUnsupported"))
        query.sort = .diskUsage
        query.limit = arguments.int("limit", default: 10)
        query.withRecords = arguments.bool("detail")
        if let position = try QueryCursor.position("get_storage_summary", arguments, count: 2) {
            query.after = ResourceKey(value: .number(try QueryCursor.number(position[0], "get_storage_summary")), id: position[1])
        }
        let (totals, page) = try services.read { store in (try store.storageTotals(query), try store.search(query)) }
        var result: JSONObject = [
            "totals": .array(totals.map { total in
                var row: JSONObject = [
                    "type": .string(total.type), "platform": .string(total.platform), "count": .integer(Int64(total.count)),
                    "unhealthy": .integer(Int64(total.unhealthy)), "totalBytes": .integer(total.totalBytes), "usedBytes": .integer(total.usedBytes),
                ]
                if total.totalBytes > 0 {
                    row["usage"] = ResourceRow.rounded(Double(total.usedBytes) / Double(total.totalBytes))
                }
                return .object(row)
            }),
            "resources": .array(page.rows.map { $0.json(gate: services.gate, detail: query.withRecords) }),
        ]
        if let next = page.next, case .number(let usage) = next.value {
            result["nextCursor"] = .string(QueryCursor.token("get_storage_summary", arguments, position: [String(usage), next.id]))
        }
        return .object(result)
    }
}
