import AssistantTools
import JSON
import JSONRPC
import Testing

/// A read tool's cursor belongs to its query, however the query is spelled: a default written out,
/// a filter's items in another order or repeated, an alias for a platform id.
@Suite("Query cursors")
struct QueryCursorTests {
    let client = InProcessClient()

    /// The first call of a walk, and the same query spelled otherwise.
    static let spellings: [(String, JSONValue, JSONValue)] = [
        ("search_resources",
         ["types": ["vm", "system-container"], "platforms": ["pve"], "limit": 3],
         ["types": ["system-container", "vm", "vm"], "platforms": ["proxmox-pve", "pve"], "sort": "name", "detail": false,
          "includeUnsupported": false, "text": nil, "tag": "", "statuses": [], "limit": 3]),
        ("get_storage_summary",
         ["limit": 2],
         ["types": ["physical-disk", "storage", "ceph"], "includeUnsupported": false, "minUsage": nil, "limit": 2]),
        ("list_alerts",
         ["severities": ["critical", "warning"], "limit": 2],
         ["severities": ["warning", "critical", "warning"], "platforms": [], "resourceId": "", "limit": 2]),
    ]

    @Test("the next page is the same whichever spelling asks for it", arguments: spellings)
    func spelledOtherwise(_ name: String, _ first: JSONValue, _ respelled: JSONValue) async throws {
        // Given the first page of a walk
        try await client.ensureInitialized()
        let page = try await client.callTool(name, first)
        let cursor = try #require(page["structuredContent"]?["nextCursor"])

        // When the next page is asked for as the first call spelled it, and as the other spelling does
        let asFirst = try await client.callTool(name, Self.adding(cursor, to: first))
        let asRespelled = try await client.callTool(name, Self.adding(cursor, to: respelled))

        // Then the cursor is accepted both ways and gives the same page
        #expect(asRespelled["isError"] == nil, "\(asRespelled["content"]?.description ?? "")")
        #expect(asRespelled["structuredContent"] == asFirst["structuredContent"])
        // and a respelled first call issues the same cursor.
        let respelledFirst = try await client.callTool(name, respelled)
        #expect(respelledFirst["structuredContent"]?["nextCursor"] == cursor)
    }

    @Test("another query still refuses the cursor")
    func otherQuery() async throws {
        try await client.ensureInitialized()
        let page = try await client.callTool("search_resources", ["types": ["vm"], "limit": 2])
        let cursor = try #require(page["structuredContent"]?["nextCursor"])
        let refused = try await client.callTool("search_resources", ["types": ["vm"], "sort": "cpu", "limit": 2, "cursor": cursor])
        #expect(refused["isError"] == true)
        #expect(refused["content"]?.arrayValue?.first?["text"]?.stringValue?.contains("other filters") == true)
    }

    static func adding(_ cursor: JSONValue, to arguments: JSONValue) -> JSONValue {
        var object = arguments.objectValue ?? [:]
        object["cursor"] = cursor
        return .object(object)
    }
}
