import AssistantTools
import JSON
import JSONRPC
import Policy
import Testing

/// Approvals as multi-round-trip requests: `controlled`, a 2026-07-28 client that declares elicitation.
@Suite("MCP 2026-07-28: approvals through InputRequiredResult")
struct ModernApprovalTests {
    static let stop: JSONValue = ["resourceId": "vm/pve-a/101", "action": "stop", "reason": "patch window"]
    static let elicitation: JSONValue = ["elicitation": ["form": [:]]]

    static func call(
        _ arguments: JSONValue = stop, state: JSONValue? = nil, response: JSONValue? = nil, client: String = "tests"
    ) -> JSONValue {
        var params: JSONObject = ["name": "control_resource", "arguments": arguments]
        params.setIfPresent("requestState", state)
        params.setIfPresent("inputResponses", response.map { ["approval": $0] })
        var meta = Modern.meta(capabilities: elicitation)
        meta["io.modelcontextprotocol/clientInfo"] = ["name": .string(client), "version": "1.0"]
        return Modern.params(params, meta: meta)
    }

    static let accept: JSONValue = ["action": "accept", "content": ["approve": true]]

    /// The first round's answer: the form and the state; nothing recorded or sent.
    func ask(_ harness: ControlHarness, _ arguments: JSONValue = stop) async throws -> String {
        let first = try await harness.send("tools/call", Self.call(arguments)).get()
        #expect(first["resultType"] == "input_required")
        #expect(first["ttlMs"] == nil, "interim results carry no caching hints")
        let request = try #require(first["inputRequests"]?["approval"])
        #expect(request["method"] == "elicitation/create")
        #expect(request["params"]?["mode"] == "form")
        #expect(request["params"]?["message"]?.stringValue?.contains("vm/pve-a/101") == true)
        #expect(request["params"]?["requestedSchema"]?["required"] == ["approve"])
        #expect(try harness.actionCount() == 0)
        #expect(harness.transport.opened.isEmpty)
        return try #require(first["requestState"]?.stringValue)
    }

    @Test("accept on the retry dispatches once; the same state again is -32602 and sends nothing more")
    func acceptOnce() async throws {
        let harness = try ControlHarness(level: .controlled)
        let state = try await ask(harness)
        #expect(state.hasPrefix("v1."))
        let done = try await harness.send("tools/call", Self.call(state: .string(state), response: Self.accept)).get()
        #expect(done["resultType"] == "complete")
        let action = try harness.structured(done, "control_resource")
        #expect(action["approval"] == "granted")
        #expect(action["state"] == "completed")
        #expect(harness.transport.executed.count == 1)
        let replayed = await harness.send("tools/call", Self.call(state: .string(state), response: Self.accept))
        #expect(replayed.errorCode == JSONRPCError.invalidParamsCode)
        #expect(harness.transport.executed.count == 1)
        #expect(try harness.actionCount() == 1)
    }

    @Test("decline, cancel or an unticked form refuse approval_declined and send nothing", arguments: [
        ["action": "decline"] as JSONValue, ["action": "cancel"], ["action": "accept", "content": ["approve": false]],
    ])
    func declined(_ response: JSONValue) async throws {
        let harness = try ControlHarness(level: .controlled)
        let state = try await ask(harness)
        let result = try await harness.send("tools/call", Self.call(state: .string(state), response: response)).get()
        #expect(result["isError"] == true)
        #expect(result["structuredContent"]?["code"] == "approval_declined")
        #expect(harness.transport.opened.isEmpty)
    }

    @Test("a retry without the answer is asked again")
    func askedAgain() async throws {
        let harness = try ControlHarness(level: .controlled)
        let state = try await ask(harness)
        let again = try await harness.send("tools/call", Self.call(state: .string(state))).get()
        #expect(again["resultType"] == "input_required")
        #expect(harness.transport.opened.isEmpty)
    }

    @Test("a state altered, for other arguments, another client, or not a string is -32602 and dispatches nothing")
    func refusedStates() async throws {
        let harness = try ControlHarness(level: .controlled)
        let state = try await ask(harness)
        var flipped = Array(state)
        let last = flipped.count - 5
        flipped[last] = flipped[last] == "A" ? "B" : "A"
        let other: JSONValue = ["resourceId": "vm/pve-a/102", "action": "stop", "reason": "patch window"]
        let attempts: [JSONValue] = [
            Self.call(state: .string(String(flipped)), response: Self.accept),
            Self.call(state: .string("v1." + state.dropFirst(6)), response: Self.accept),
            Self.call(state: "v2.abc", response: Self.accept),
            Self.call(state: 42, response: Self.accept),
            Self.call(other, state: .string(state), response: Self.accept),
            Self.call(state: .string(state), response: Self.accept, client: "someone-else"),
        ]
        for attempt in attempts {
            let answer = await harness.send("tools/call", attempt)
            guard case .failure(let error) = answer else {
                Issue.record("served: \(answer)")
                continue
            }
            #expect(error.code == JSONRPCError.invalidParamsCode)
            #expect(error.message == "Invalid or expired requestState")
        }
        #expect(try harness.actionCount() == 0)
        #expect(harness.transport.opened.isEmpty)
        // The untouched state still works once.
        let done = try await harness.send("tools/call", Self.call(state: .string(state), response: Self.accept)).get()
        #expect(try harness.structured(done, "control_resource")["approval"] == "granted")
    }

    @Test("no request is ever sent to a modern client")
    func noServerRequests() async throws {
        let peer = ApprovingPeer(answer: Self.accept)
        let harness = try ControlHarness(level: .controlled, peer: peer)
        let state = try await ask(harness)
        _ = try await harness.send("tools/call", Self.call(state: .string(state), response: Self.accept)).get()
        #expect(peer.asked.isEmpty)
    }
}
