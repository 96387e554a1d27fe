import AssistantTools
import JSON
import JSONRPC
import Policy
import Testing

/// The `_meta` of a 2026-07-28 request.
enum Modern {
    static let version = "2026-07-28"

    static func meta(version: JSONValue = "2026-07-28", capabilities: JSONValue? = [:], extra: JSONObject = [:]) -> JSONObject {
        var meta: JSONObject = ["io.modelcontextprotocol/protocolVersion": version]
        meta.setIfPresent("io.modelcontextprotocol/clientCapabilities", capabilities)
        meta["io.modelcontextprotocol/clientInfo"] = ["name": "tests", "version": "1.0"]
        for (key, value) in extra { meta[key] = value }
        return meta
    }

    static func params(_ params: JSONObject = [:], meta: JSONObject = Modern.meta()) -> JSONValue {
        var object = params
        object["_meta"] = .object(meta)
        return .object(object)
    }
}

@Suite("MCP 2026-07-28: the era of each request")
struct ModernEraTests {
    @Test("server/discover lists 2026-07-28 and every legacy version, with hints and serverInfo")
    func discover() async throws {
        let result = try await InProcessClient().send("server/discover", Modern.params()).get()
        #expect(result["supportedVersions"] == ["2026-07-28", "2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"])
        #expect(result["resultType"] == "complete")
        #expect(result["capabilities"]?["tools"] != nil)
        #expect(result["instructions"]?.stringValue?.contains("get_platform_support") == true)
        #expect(result["ttlMs"]?.integerValue ?? -1 >= 0)
        #expect(result["cacheScope"] == "public")
        #expect(result["_meta"]?["io.modelcontextprotocol/serverInfo"]?["name"] == "pulse-assistant")
    }

    @Test("a server/discover without _meta is a legacy request: -32601, as before")
    func discoverWithoutMetaIsLegacy() async {
        #expect(await InProcessClient().send("server/discover", [:]).errorCode == JSONRPCError.methodNotFoundCode)
    }

    @Test("modern requests need no initialize, and leave the legacy state alone")
    func statelessBesideLegacy() async throws {
        let client = InProcessClient()
        let listed = try await client.send("tools/list", Modern.params()).get()
        #expect(listed["resultType"] == "complete")
        #expect(listed["cacheScope"] == "public")
        #expect(listed["tools"]?.arrayValue?.isEmpty == false)
        // The process is still uninitialized for a legacy client, then initializes as always.
        #expect(await client.send("tools/list", [:]).errorCode == JSONRPCError.invalidRequestCode)
        try await client.initialize()
        let legacy = try await client.send("tools/list", [:]).get()
        #expect(legacy["resultType"] == nil)
        #expect(legacy["ttlMs"] == nil)
        #expect(legacy["_meta"] == nil)
        #expect(legacy["tools"] == listed["tools"])
    }

    @Test("an unsupported version is -32022 naming the supported ones", arguments: ["2025-11-25", "2099-01-01", ""])
    func unsupportedVersion(_ version: String) async {
        for method in ["server/discover", "tools/list"] {
            let answer = await InProcessClient().send(method, Modern.params(meta: Modern.meta(version: .string(version))))
            guard case .failure(let error) = answer else {
                Issue.record("\(method) at \(version) was served")
                continue
            }
            #expect(error.code == -32022)
            #expect(error.data?["requested"] == .string(version))
            #expect(error.data?["supported"]?.arrayValue?.contains("2026-07-28") == true)
            #expect(error.data?["supported"]?.arrayValue?.contains("2025-11-25") == true)
        }
    }

    @Test("a missing or mistyped required _meta key is -32602", arguments: [
        Modern.meta(capabilities: nil),
        Modern.meta(capabilities: "all"),
        Modern.meta(version: 20260728),
        Modern.meta(extra: ["io.modelcontextprotocol/clientInfo": "me"]),
        Modern.meta(extra: ["io.modelcontextprotocol/logLevel": "loud"]),
    ])
    func missingMeta(_ meta: JSONObject) async {
        #expect(await InProcessClient().send("tools/list", Modern.params(meta: meta)).errorCode == JSONRPCError.invalidParamsCode)
    }

    @Test("methods 2026-07-28 removed are -32601 to a modern request", arguments: [
        "ping", "logging/setLevel", "initialize", "resources/subscribe", "resources/unsubscribe",
    ])
    func removedMethods(_ method: String) async {
        #expect(await InProcessClient().send(method, Modern.params()).errorCode == JSONRPCError.methodNotFoundCode)
    }

    @Test("a tool call is a complete result with serverInfo and no caching hints")
    func toolCall() async throws {
        let result = try await InProcessClient().send(
            "tools/call", Modern.params(["name": "get_platform_support", "arguments": ["platform": "docker"]])
        ).get()
        #expect(result["resultType"] == "complete")
        #expect(result["structuredContent"]?["platforms"] != nil || result["structuredContent"] != nil)
        #expect(result["isError"] == nil)
        #expect(result["ttlMs"] == nil)
        #expect(result["_meta"]?["io.modelcontextprotocol/serverInfo"]?["version"] == .string(AssistantServer.version))
    }

    @Test("resources: hints on list, templates and read; an unknown URI is -32602, not -32002")
    func resources() async throws {
        let client = InProcessClient()
        for method in ["resources/list", "resources/templates/list"] {
            let result = try await client.send(method, Modern.params()).get()
            #expect(result["resultType"] == "complete")
            #expect(result["ttlMs"]?.integerValue != nil)
            #expect(result["cacheScope"] != nil)
        }
        let read = try await client.send("resources/read", Modern.params(["uri": "pulse://matrix"])).get()
        #expect(read["resultType"] == "complete")
        #expect(read["contents"]?.arrayValue?.count == 1)
        let unknown = await client.send("resources/read", Modern.params(["uri": "pulse://resource/none"]))
        #expect(unknown.errorCode == JSONRPCError.invalidParamsCode)
        try await client.initialize()
        #expect(await client.send("resources/read", ["uri": "pulse://resource/none"]).errorCode == JSONRPCError.resourceNotFoundCode)
    }

    @Test("controlled control_resource without elicitation is -32021 and dispatches nothing")
    func missingCapability() async throws {
        let harness = try ControlHarness(level: .controlled)
        let answer = await harness.send("tools/call", Modern.params([
            "name": "control_resource",
            "arguments": ["resourceId": "vm/pve-a/101", "action": "stop", "reason": "tests"],
        ]))
        guard case .failure(let error) = answer else {
            Issue.record("served: \(answer)")
            return
        }
        #expect(error.code == -32021)
        #expect(error.data?["requiredCapabilities"]?["elicitation"] != nil)
        #expect(try harness.actionCount() == 0)
        #expect(harness.transport.opened.isEmpty)
    }

    @Test("under read-only and autonomous nothing is required of a modern call", arguments: [ControlLevel.readOnly, .autonomous])
    func nothingRequired(_ level: ControlLevel) {
        #expect(AssistantServer.modernRequirements(ControlSettings(level: level)).isEmpty)
    }
}

@Suite("Legacy resource subscriptions")
struct LegacySubscriptionTests {
    @Test("subscribe a pulse:// URI, -32002 for an unknown one, unsubscribe; a change notifies list_changed and updated")
    func subscribeAndHear() async throws {
        let client = InProcessClient()
        try await client.initialize()
        let uri = "pulse://platform/docker"
        #expect(try await client.send("resources/subscribe", ["uri": .string(uri)]).get() == [:])
        #expect(await client.send("resources/subscribe", ["uri": "pulse://resource/none"]).errorCode == JSONRPCError.resourceNotFoundCode)
        // The demo store does not change: a change is published, the content is the same, so only list_changed.
        client.server.modern.changes.publish()
        #expect(client.peer.notifications.map(\.method) == ["notifications/resources/list_changed"])
        #expect(try await client.send("resources/unsubscribe", ["uri": .string(uri)]).get() == [:])
        #expect(await client.send("resources/subscribe", [:]).errorCode == JSONRPCError.invalidParamsCode)
    }
}
