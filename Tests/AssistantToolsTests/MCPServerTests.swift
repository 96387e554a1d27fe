import AssistantTools
import JSON
import JSONRPC
import ResourceStore
import Testing

@Suite("MCP lifecycle")
struct MCPServerTests {
    @Test("each supported protocol version is echoed", arguments: ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"])
    func negotiatesSupportedVersion(_ version: String) async throws {
        let client = InProcessClient()
        let result = try await client.initialize(version: version)
        #expect(result["protocolVersion"] == .string(version))
        #expect(result["capabilities"]?["tools"] != nil)
        #expect(result["serverInfo"]?["name"] == "pulse-assistant")
        #expect(result["instructions"]?.stringValue?.contains("get_platform_support") == true)
    }

    @Test("an unknown version is answered with the latest", arguments: ["2099-01-01", "1.0", ""])
    func answersUnknownVersionWithLatest(_ version: String) async throws {
        let result = try await InProcessClient().initialize(version: version)
        #expect(result["protocolVersion"] == "2025-11-25")
    }

    @Test("serverInfo.title only where the version defines it")
    func serverInfoTitleFollowsVersion() async throws {
        let old = try await InProcessClient().initialize(version: "2025-03-26")
        let new = try await InProcessClient().initialize(version: "2025-06-18")
        #expect(old["serverInfo"]?["title"] == nil)
        #expect(new["serverInfo"]?["title"] == "Pulse Assistant")
    }

    @Test("before initialize only initialize and ping are served", arguments: ["tools/list", "tools/call"])
    func refusesCallsBeforeInitialize(_ method: String) async {
        let client = InProcessClient()
        let refused = await client.send(method, ["name": "get_platform_support"])
        #expect(refused.errorCode == JSONRPCError.invalidRequestCode)
        if case .failure(let error) = refused {
            #expect(error.message.contains("not initialized"))
        }
        let ping = await client.send("ping")
        #expect(ping == .success([:]))
    }

    @Test("server/discover is answered -32601 before and after initialize")
    func discoverIsMethodNotFound() async throws {
        let client = InProcessClient()
        #expect(await client.send("server/discover", [:]).errorCode == JSONRPCError.methodNotFoundCode)
        try await client.initialize()
        #expect(await client.send("server/discover", [:]).errorCode == JSONRPCError.methodNotFoundCode)
    }

    @Test("unknown methods are -32601")
    func unknownMethod() async throws {
        let client = InProcessClient()
        try await client.initialize()
        let result = await client.send("resources/unknown", [:])
        #expect(result.errorCode == JSONRPCError.methodNotFoundCode)
    }

    @Test("a second initialize is refused")
    func secondInitializeIsRefused() async throws {
        let client = InProcessClient()
        try await client.initialize()
        let again = await client.send("initialize", Fixtures.initializeParams())
        #expect(again.errorCode == JSONRPCError.invalidRequestCode)
    }

    @Test("initialize with bad params is -32602", arguments: [
        JSONValue.null,
        ["capabilities": [:], "clientInfo": ["name": "x", "version": "1"]],
        ["protocolVersion": 20250618, "capabilities": [:], "clientInfo": ["name": "x", "version": "1"]],
        ["protocolVersion": "2025-06-18", "capabilities": [], "clientInfo": ["name": "x", "version": "1"]],
        ["protocolVersion": "2025-06-18", "capabilities": [:], "clientInfo": ["name": "x"]],
    ])
    func initializeValidatesParams(_ params: JSONValue) async {
        let client = InProcessClient()
        let result = await client.send("initialize", params.isNull ? nil : params)
        #expect(result.errorCode == JSONRPCError.invalidParamsCode)
        // A failed initialize leaves the server uninitialized.
        #expect(await client.send("tools/list").errorCode == JSONRPCError.invalidRequestCode)
    }

    @Test("notifications/cancelled cancels the named request through the connection")
    func cancellationReachesPeer() async throws {
        let client = InProcessClient()
        try await client.initialize()
        client.notify("notifications/cancelled", ["requestId": 7, "reason": "user stopped"])
        client.notify("notifications/cancelled", ["requestId": "abc"])
        client.notify("notifications/cancelled", ["requestId": true])
        client.notify("notifications/unknown-thing", ["x": 1])
        #expect(client.peer.cancelled == [.integer(7), .string("abc")])
    }

    @Test("tools/list rejects non-object params and non-string cursors")
    func toolsListParams() async throws {
        let client = InProcessClient()
        try await client.initialize()
        #expect(await client.send("tools/list", [1, 2]).errorCode == JSONRPCError.invalidParamsCode)
        #expect(await client.send("tools/list", ["cursor": 5]).errorCode == JSONRPCError.invalidParamsCode)
        #expect(await client.send("tools/list", ["cursor": "not-a-cursor"]).errorCode == JSONRPCError.invalidParamsCode)
    }

    @Test("tools/call without a name is -32602, an unknown tool is -32602")
    func toolsCallParams() async throws {
        let client = InProcessClient()
        try await client.initialize()
        #expect(await client.send("tools/call", [:]).errorCode == JSONRPCError.invalidParamsCode)
        let unknown = await client.send("tools/call", ["name": "drop_tables"])
        #expect(unknown.errorCode == JSONRPCError.invalidParamsCode)
        if case .failure(let error) = unknown {
            #expect(error.message.contains("get_platform_support"))
        }
    }

    @Test("listing fields follow the negotiated version")
    func listingFollowsVersion() async throws {
        let old = InProcessClient()
        try await old.initialize(version: "2024-11-05")
        let oldTool = try #require(try await old.send("tools/list").get()["tools"]?.arrayValue?.first { $0["name"] == "get_platform_support" })
        #expect(oldTool["annotations"] == nil && oldTool["outputSchema"] == nil && oldTool["title"] == nil)

        let new = InProcessClient()
        try await new.initialize(version: "2025-11-25")
        let newTool = try #require(try await new.send("tools/list").get()["tools"]?.arrayValue?.first { $0["name"] == "get_platform_support" })
        #expect(newTool["annotations"]?["readOnlyHint"] == true)
        #expect(newTool["outputSchema"]?["type"] == "object")
        #expect(newTool["title"] == "Platform support")
    }
}

@Suite("Tool execution")
struct ToolExecutionTests {
    @Test("inline tools are answered on the reading thread; others run as tasks")
    func inlineVersusConcurrent() async throws {
        let configuration = MCPServer.Configuration(name: "t", title: "T", version: "0", instructions: "")
        let tools: [any Tool] = [GetPlatformSupportTool(manifest: Fixtures.manifest), StubTool(name: "slow_echo")]
        let client = InProcessClient(MCPServer(configuration: configuration, registry: ToolRegistry(tools)))
        try await client.initialize()
        func reply(_ name: String) -> Reply {
            client.server.receive(
                Request(id: .integer(9), method: "tools/call", params: ["name": .string(name), "arguments": [:]]),
                from: client.peer
            )
        }
        guard case .inline(let inline) = reply("get_platform_support") else {
            Issue.record("get_platform_support should be answered inline")
            return
        }
        #expect(try inline().get()["structuredContent"]?["supportedCount"] == 7)
        guard case .later(let executor, let work) = reply("slow_echo") else {
            Issue.record("a plain Tool should run as a task")
            return
        }
        #expect(executor as? StoreExecutor === StoreExecutor.shared, "a task that may block starts on the store's threads")
        #expect(try await work().get()["structuredContent"] == [:])
    }
}
