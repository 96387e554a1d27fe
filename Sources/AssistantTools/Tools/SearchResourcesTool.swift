import JSON
import ResourceStore

/// `search_resources`: find canonical resources by filters, in name or metric order, a page at a time.
package struct SearchResourcesTool: Tool {
    private let services: ReadServices

    package init(services: ReadServices) {
        self.services = services
    }

    package var descriptor: ToolDescriptor {
        ToolDescriptor(
            name: "search_resources",
            title: "Search resources",
            description: """
                Finds Pulse's canonical resources (hosts, VMs, containers, pods, storage, disks, ...) by type, platform, \
                status, power state, parent, tag and text, sorted by name or by a usage metric, one page at a time. \
                Rows are compact unless detail is true; pass nextCursor back as cursor for the next page.
                """,
            inputSchema: Schema.arguments([
                ("types", ReadSchemas.strings("Resource types to include, e.g. [\"vm\", \"system-container\"].", enum: ReadSchemas.resourceTypes)),
                ("platforms", ReadSchemas.strings("Platform ids or aliases, e.g. [\"pve\", \"docker\"].")),
                ("statuses", ReadSchemas.strings("Statuses to include.", enum: ReadSchemas.statuses)),
                ("powerStates", ReadSchemas.strings("Power states to include (workloads only).", enum: ReadSchemas.powerStates)),
                ("parentId", Schema.id("Only direct children of this resource.")),
                ("tag", Schema.text("Only resources with this tag.")),
                ("text", Schema.text("Words to find (as prefixes) in names, tags, hostnames, IPs, clusters.")),
                ("sort", Schema.string("name (default), or busiest first.", enum: ResourceSort.allCases.map(\.rawValue))),
                ("detail", Schema.boolean("Full records in the rows. Default false.")),
                ("includeUnsupported", ReadSchemas.includeUnsupported),
                ("limit", ReadSchemas.limit(default: 20)),
                ("cursor", ReadSchemas.cursor),
            ]),
            outputSchema: Schema.object([
                ("resources", Schema.array(of: ReadSchemas.resourceRow)),
                ("nextCursor", ReadSchemas.nextCursor),
                ("notes", Schema.array(of: Schema.string(), description: "What the caller should know about this answer.")),
            ], required: ["resources"]),
            annotations: .read
        )
    }

    package func call(_ object: JSONObject, context: ToolContext) async throws(ToolError) -> JSONValue {
        let given = Arguments(object, defaults: ["sort": "name"])
        let includeUnsupported = given.bool("includeUnsupported")
        let (platforms, unknown) = services.gate.resolve(platforms: given.strings("platforms"))
        guard unknown.isEmpty else { throw .rejected(services.gate.unknownPlatforms(unknown)) }
        // An alias and its id are the same filter, for the cursor too.
        let arguments = given.setting("platforms", to: platforms.isEmpty ? nil : JSONValue(platforms))

        var query = ResourceQuery()
        query.types = arguments.strings("types")
        query.platforms = platforms
        query.statuses = arguments.strings("statuses")
        query.powerStates = arguments.strings("powerStates")
        query.parentId = arguments.string("parentId")
        query.tag = arguments.string("tag")
        query.text = arguments.string("text")
        query.sort = arguments.string("sort").flatMap(ResourceSort.init(rawValue:)) ?? .name
        query.hiddenPlatforms = services.gate.hidden(includeUnsupported: includeUnsupported)
        query.limit = arguments.int("limit", default: 20)
        query.withRecords = arguments.bool("detail")
        if let position = try QueryCursor.position("search_resources", arguments, count: 2) {
            let value: ResourceKey.Value = query.sort == .name
                ? .text(position[0]) : .number(try QueryCursor.number(position[0], "search_resources"))
            query.after = ResourceKey(value: value, id: position[1])
        }

        let page = try services.read { try $0.search(query) }
        // The page is written straight to text: {"resources":[...],"nextCursor":...,"notes":[...]}.
        var writer = JSONWriter(capacity: 1024 + page.rows.count * (query.withRecords ? 700 : 300))
        writer.beginObject()
        writer.key("resources")
        writer.beginArray()
        for row in page.rows {
            row.write(to: &writer, gate: services.gate, detail: query.withRecords)
        }
        writer.endArray()
        if let next = page.next {
            writer.key("nextCursor")
            writer.string(QueryCursor.token("search_resources", arguments, position: [Self.keyText(next.value), next.id]))
        }
        let hiddenAsked = platforms.filter { services.gate.isHidden($0) }
        if !includeUnsupported, !hiddenAsked.isEmpty {
            writer.key("notes")
            writer.value(JSONValue(hiddenAsked.map { id in
                "\(id) is not a supported platform, so its resources are left out; pass includeUnsupported: true to see them, labelled as unsupported."
            }))
        }
        writer.endObject()
        return .serialized(writer.finish())
    }

    private static func keyText(_ value: ResourceKey.Value) -> String {
        switch value {
        case .text(let text): text
        case .number(let number): String(number)
        }
    }
}
