import AssistantTools
import JSON
import JSONRPC
import Testing

@Suite("Tool registry")
struct ToolRegistryTests {
    static let names = ["alpha_one", "beta_two", "gamma_three", "delta_four", "epsilon_five"]

    static func client(pageSize: Int) -> InProcessClient {
        let configuration = MCPServer.Configuration(
            name: "test", title: "Test", version: "0", instructions: "", toolsPageSize: pageSize
        )
        let tools: [any Tool] = names.map { StubTool(name: $0) } + [
            StubTool(name: "rejects", behaviour: .reject("resource vm/1 not found; closest: vm/10")),
            StubTool(name: "breaks", behaviour: .fail("disk I/O error")),
        ]
        return InProcessClient(MCPServer(configuration: configuration, registry: ToolRegistry(tools)))
    }

    @Test("a cursor walk visits every tool once, in the stable order", arguments: [1, 2, 3, 7, 50])
    func paginationWalk(pageSize: Int) async throws {
        let client = Self.client(pageSize: pageSize)
        try await client.initialize()
        var seen: [String] = []
        var cursor: JSONValue?
        var pages = 0
        repeat {
            let params: JSONValue = cursor.map { ["cursor": $0] } ?? [:]
            let page = try await client.send("tools/list", params).get()
            let tools = try #require(page["tools"]?.arrayValue)
            #expect(tools.count <= pageSize)
            seen += tools.compactMap { $0["name"]?.stringValue }
            cursor = page["nextCursor"]
            pages += 1
        } while cursor != nil && pages < 100
        #expect(seen == Self.names + ["rejects", "breaks"])
        #expect(pages == (seen.count + pageSize - 1) / pageSize)
    }

    @Test("cursors that this listing did not issue are -32602", arguments: [
        "", "garbage", "YWJj", Cursor(listing: "resources/list", position: "2").token,
        Cursor(listing: "tools/list", position: "-1").token, Cursor(listing: "tools/list", position: "99").token,
        Cursor(listing: "tools/list", position: "two").token,
    ])
    func invalidCursor(_ token: String) async throws {
        let client = Self.client(pageSize: 2)
        try await client.initialize()
        let result = await client.send("tools/list", ["cursor": .string(token)])
        #expect(result.errorCode == JSONRPCError.invalidParamsCode)
    }

    @Test("a successful call carries structuredContent and the same JSON as text")
    func successShape() async throws {
        let client = Self.client(pageSize: 50)
        try await client.initialize()
        let result = try await client.callTool("alpha_one", ["count": 2, "label": "x"])
        #expect(result["structuredContent"] == ["count": 2, "label": "x"])
        let text = try #require(result["content"]?.arrayValue?.first?["text"]?.stringValue)
        #expect(try JSONParser.parse(text) == ["count": 2, "label": "x"])
        #expect(result["isError"] == nil)
    }

    @Test("before 2025-06-18 the text block alone carries the result")
    func oldVersionHasNoStructuredContent() async throws {
        let client = Self.client(pageSize: 50)
        try await client.initialize(version: "2025-03-26")
        let result = try await client.callTool("alpha_one", ["count": 1])
        #expect(result["structuredContent"] == nil)
        #expect(result["content"]?.arrayValue?.first?["text"] == "{\"count\":1}")
    }

    static let argumentCases: [(JSONValue, String)] = [
        (["count": "2"], "`count`: expected an integer, got string \"2\""),
        (["count": 0], "`count`: must be at least 1, got 0"),
        (["count": 1.5], "`count`: expected an integer, got number 1.5"),
        (["colour": "red"], "`colour`: is not a known argument; known: count, label"),
        (["count": "x", "label": 3], "`count`: expected an integer, got string \"x\"; `label`: expected a string, got integer 3"),
    ]

    @Test("argument errors are isError results naming the argument and the reason", arguments: argumentCases)
    func argumentErrors(_ arguments: JSONValue, _ expected: String) async throws {
        let client = Self.client(pageSize: 50)
        try await client.initialize()
        let result = try await client.callTool("alpha_one", arguments)
        #expect(result["isError"] == true)
        #expect(result["structuredContent"] == nil)
        let text = try #require(result["content"]?.arrayValue?.first?["text"]?.stringValue)
        #expect(text == "Invalid arguments for alpha_one: \(expected).")
    }

    @Test("arguments that are not an object are -32602; absent or null arguments are an empty object")
    func argumentsMustBeObject() async throws {
        let client = Self.client(pageSize: 50)
        try await client.initialize()
        let list = await client.send("tools/call", ["name": "alpha_one", "arguments": [1]])
        #expect(list.errorCode == JSONRPCError.invalidParamsCode)
        let absent = try await client.send("tools/call", ["name": "alpha_one"]).get()
        #expect(absent["structuredContent"] == [:])
        let null = try await client.send("tools/call", ["name": "alpha_one", "arguments": nil]).get()
        #expect(null["structuredContent"] == [:])
    }

    @Test("a rejection is an isError result; an internal failure is -32603")
    func errorChannels() async throws {
        let client = Self.client(pageSize: 50)
        try await client.initialize()
        let rejected = try await client.callTool("rejects")
        #expect(rejected["isError"] == true)
        #expect(rejected["content"]?.arrayValue?.first?["text"] == "resource vm/1 not found; closest: vm/10")
        let broken = await client.send("tools/call", ["name": "breaks", "arguments": [:]])
        #expect(broken.errorCode == JSONRPCError.internalErrorCode)
    }

    @Test("duplicate tool names keep the first declaration")
    func duplicateNames() {
        let registry = ToolRegistry([StubTool(name: "same"), StubTool(name: "same", behaviour: .reject("x"))])
        #expect(registry.tools.count == 1)
    }
}
