import AssistantTools
import JSON
import JSONRPC
import Testing

@Suite("MCP resources")
struct ResourceCatalogTests {
    @Test("resources/list walks the matrix, every platform, then every readable resource once")
    func listWalk() async throws {
        let client = InProcessClient()
        let initialized = try await client.initialize()
        #expect(initialized["capabilities"]?["resources"] == ["subscribe": true, "listChanged": true])
        var uris: [String] = []
        var cursor: JSONValue?
        for _ in 0..<100 {
            let page = try await client.send("resources/list", cursor.map { ["cursor": $0] } ?? [:]).get()
            uris += page["resources"]?.arrayValue?.compactMap { $0["uri"]?.stringValue } ?? []
            cursor = page["nextCursor"]
            if cursor == nil { break }
        }
        #expect(uris.first == "pulse://matrix")
        #expect(uris.contains("pulse://platform/vmware-vsphere"))
        #expect(Set(uris).count == uris.count)
        let resources = uris.filter { $0.hasPrefix("pulse://resource/") }
        #expect(resources.count > 100)
        #expect(!resources.contains { $0.contains("esx") || $0.contains("vsphere") })
    }

    @Test("resources/read serves each kind as JSON")
    func read() async throws {
        let client = InProcessClient()
        try await client.initialize()
        let page = try await client.send("resources/list").get()
        let resourceURI = try #require(page["resources"]?.arrayValue?.compactMap { $0["uri"]?.stringValue }.first { $0.hasPrefix("pulse://resource/") })
        #expect(resourceURI.contains("%2F"))
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
    }
}
