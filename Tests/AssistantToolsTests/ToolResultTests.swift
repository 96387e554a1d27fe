import AssistantTools
import JSON
import JSONRPC
import Testing

/// A tool's result is serialized once and spliced into the text block and `structuredContent`; what
/// goes on the wire must be byte for byte what serializing the plain tree wrote.
@Suite("Tool results")
struct ToolResultTests {
    /// A string that needs every kind of escape, and some that need none.
    static let awkward = "quote \" backslash \\ slash / newline \n cr \r tab \t nul \u{00} esc \u{1B} é☃😀 \u{2028} {\"json\":[1]}"

    static func client(version: ProtocolVersion) async throws -> InProcessClient {
        let configuration = MCPServer.Configuration(name: "test", title: "Test", version: "0", instructions: "")
        let tools: [any Tool] = [StubTool(name: "echoes"), StubTool(name: "reports", behaviour: .report)]
        let client = InProcessClient(MCPServer(configuration: configuration, registry: ToolRegistry(tools)))
        try await client.initialize(version: version.rawValue)
        return client
    }

    /// The `CallToolResult` as it was built before results were serialized once: the text block held
    /// the value's JSON as a string, and `structuredContent` the tree.
    static func plainResult(_ structured: JSONValue, version: ProtocolVersion, isError: Bool = false) -> JSONValue {
        var result: JSONObject = ["content": [["type": "text", "text": .string(JSONSerializer.string(structured))]]]
        if version.hasStructuredContent {
            result["structuredContent"] = structured
        }
        if isError {
            result["isError"] = true
        }
        return .object(result)
    }

    /// The response line the writer puts on the wire for `result`.
    static func line(_ result: JSONValue) -> [UInt8] {
        JSONSerializer.line(Message.response(.result(.integer(9), result)).jsonValue)
    }

    @Test("a result needing escapes writes the bytes the plain tree did", arguments: ProtocolVersion.allCases)
    func successBytes(version: ProtocolVersion) async throws {
        let client = try await Self.client(version: version)
        let arguments: JSONValue = ["label": .string(Self.awkward), "count": 3]

        let result = try await client.callTool("echoes", arguments)

        let plain = Self.plainResult(arguments, version: version)
        #expect(Self.line(result) == Self.line(plain))
        #expect(result == plain)
        #expect(try JSONParser.parse(JSONSerializer.bytes(result)) == plain)
    }

    @Test("a reported failure writes the bytes the plain tree did", arguments: ProtocolVersion.allCases)
    func failureBytes(version: ProtocolVersion) async throws {
        let client = try await Self.client(version: version)
        let arguments: JSONValue = ["label": .string(Self.awkward)]

        let result = try await client.callTool("reports", arguments)

        #expect(Self.line(result) == Self.line(Self.plainResult(arguments, version: version, isError: true)))
        #expect(result["isError"] == true)
    }

    @Test("read tools on the demo fleet write the bytes the plain tree did", arguments: ProtocolVersion.allCases)
    func readToolBytes(version: ProtocolVersion) async throws {
        let client = InProcessClient()
        try await client.initialize(version: version.rawValue)
        let calls: [(String, JSONValue)] = [
            ("search_resources", ["platforms": ["docker"], "limit": 50, "detail": true]),
            ("search_resources", ["platforms": ["vmware"], "includeUnsupported": true, "limit": 5]),
            ("get_resource", ["id": "vm/pve-a/101"]),
            ("get_platform_support", [:]),
        ]
        for (name, arguments) in calls {
            let result = try await client.callTool(name, arguments)
            #expect(result["isError"] == nil, "\(name): \(result)")
            // The tree the result stands for: structuredContent, or the text block read back when there is none.
            let text = try #require(result["content"]?.arrayValue?.first?["text"]?.stringValue)
            let structured = try result["structuredContent"] ?? JSONParser.parse(text)
            #expect(Self.line(result) == Self.line(Self.plainResult(structured, version: version)), "\(name)")
        }
    }
}
