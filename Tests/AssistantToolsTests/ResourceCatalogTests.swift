import AssistantTools
import JSON
import JSONRPC
import Testing

@Suite("MCP resources")
struct ResourceCatalogTests {
    @Test("resources/list is the matrix and the platform rows, one page, each title its own; fleet objects are not listed")
    func listing() async throws {
        let client = InProcessClient()
        let initialized = try await client.initialize()
        #expect(initialized["capabilities"]?["resources"] == ["subscribe": true, "listChanged": true])
        let page = try await client.send("resources/list").get()
        let entries = page["resources"]?.arrayValue ?? []
        let uris = entries.compactMap { $0["uri"]?.stringValue }
        #expect(page["nextCursor"] == nil)
        #expect(uris.first == "pulse://matrix")
        #expect(uris.count == 1 + Fixtures.manifest.platforms.count)
        #expect(uris.dropFirst().allSatisfy { $0.hasPrefix("pulse://platform/") })
        let titles = entries.compactMap { $0["title"]?.stringValue }
        #expect(titles.count == entries.count && Set(titles).count == titles.count)
    }

    @Test("resources/read serves each kind as JSON")
    func read() async throws {
        let client = InProcessClient()
        try await client.initialize()
        let resourceURI = ResourceCatalog.uri(forResource: "vm/pve-a/101")
        #expect(resourceURI == "pulse://resource/vm%2Fpve-a%2F101")
        for uri in ["pulse://matrix", "pulse://platform/pve", resourceURI] {
            let result = try await client.send("resources/read", ["uri": .string(uri)]).get()
            let content = try #require(result["contents"]?.arrayValue?.first)
            #expect(content["uri"] == .string(uri))
            #expect(content["mimeType"] == "application/json")
            let parsed = try JSONParser.parse(try #require(content["text"]?.stringValue))
            #expect(parsed.objectValue?.isEmpty == false)
            // The text is serialized once and escaped as it is written: the bytes of the plain string.
            let plain: JSONValue = ["contents": [["uri": .string(uri), "mimeType": "application/json", "text": .string(parsed.description)]]]
            #expect(JSONSerializer.bytes(result) == JSONSerializer.bytes(plain))
        }
        let templates = try await client.send("resources/templates/list").get()
        #expect(templates["resourceTemplates"]?.arrayValue?.compactMap { $0["uriTemplate"]?.stringValue } == ["pulse://resource/{id}", "pulse://platform/{id}"])
    }

    @Test("an unknown URI is -32002; a bad cursor is -32602", arguments: ["pulse://resource/nope", "pulse://platform/podman", "pulse://other", "https://example.org"])
    func unknown(_ uri: String) async throws {
        let client = InProcessClient()
        try await client.initialize()
        let result = await client.send("resources/read", ["uri": .string(uri)])
        #expect(result.errorCode == JSONRPCError.resourceNotFoundCode)
        #expect(await client.send("resources/list", ["cursor": "nope"]).errorCode == JSONRPCError.invalidParamsCode)
        let old = Cursor(listing: "resources/list", position: "web-01\u{1F}vm/pve-a/101").token
        #expect(await client.send("resources/list", ["cursor": .string(old)]).errorCode == JSONRPCError.invalidParamsCode)
    }
}
