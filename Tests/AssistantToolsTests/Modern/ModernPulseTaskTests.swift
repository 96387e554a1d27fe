import AssistantTools
import JSON
import JSONRPC
import Policy
import Testing

/// The tasks extension on the `pulse` route: the action is claimed (handed to Pulse) before Pulse plans
/// it and the human is asked, so the task is `working` first, then `input_required` with Pulse's plan.
@Suite("MCP 2026-07-28: a pulse-routed control call as a task", .serialized,
       .enabled(if: FakePulse.isAvailable, "needs python3 for the fake Pulse"))
struct ModernPulseTaskTests {
    static let tasks: JSONValue = ["elicitation": ["form": [:]], "extensions": ["io.modelcontextprotocol/tasks": [:]]]

    func send(_ server: MCPServer, _ method: String, _ params: JSONObject) async -> Result<JSONValue, JSONRPCError> {
        switch server.receive(Request(id: .integer(1), method: method, params: Modern.params(params, meta: Modern.meta(capabilities: Self.tasks))),
                              from: RecordingPeer()) {
        case .now(let outcome): return outcome
        case .later(_, let work): return await work()
        case .inline(let work): return work()
        }
    }

    /// Polls `tasks/get` until `done` holds of the task.
    func poll(_ server: MCPServer, _ id: String, until done: (JSONValue) -> Bool) async throws -> JSONValue {
        for _ in 0..<1000 {
            let task = try await send(server, "tasks/get", ["taskId": .string(id)]).get()
            if done(task) { return task }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("task \(id) never got there")
        return .null
    }

    func start(_ harness: PulseHarness) async throws -> (MCPServer, String) {
        let server = harness.session(level: .controlled).server
        let arguments: JSONValue = ["resourceId": .string(try harness.id("api-01")), "action": "reboot", "reason": "kernel update"]
        let created = try await send(server, "tools/call", ["name": "control_resource", "arguments": arguments]).get()
        #expect(created["resultType"] == "task")
        #expect(created["status"] == "working" || created["status"] == "input_required", "claimed for Pulse first: \(created)")
        let id = try #require(created["taskId"]?.stringValue)
        let asking = try await poll(server, id) { $0["status"] == "input_required" }
        let message = try #require(asking["inputRequests"]?["approval"]?["params"]?["message"]?.stringValue)
        #expect(message.contains("Pulse's plan"), "\(message)")
        return (server, id)
    }

    @Test("approved through tasks/update: Pulse decides and executes once; the task completes")
    func approved() async throws {
        let harness = try await PulseHarness()
        let (server, id) = try await start(harness)
        let accept: JSONValue = ["approval": ["action": "accept", "content": ["approve": true]]]
        let ack = try await send(server, "tasks/update", ["taskId": .string(id), "inputResponses": accept]).get()
        #expect(ack["resultType"] == "complete")
        let done = try await poll(server, id) { ["completed", "failed", "cancelled"].contains($0["status"]?.stringValue ?? "") }
        #expect(done["status"] == "completed")
        #expect(done["result"]?["structuredContent"]?["state"] == "completed", "\(done)")
        #expect(done["result"]?["structuredContent"]?["approval"] == "granted")
        let calls = try await harness.fake.controlCalls()
        #expect(calls.filter { $0.hasSuffix("/execute") }.count == 1, "\(calls)")
        await harness.stop()
    }

    @Test("cancelled while Pulse's plan waits for the human: no decision and no execute; the task is cancelled")
    func cancelled() async throws {
        let harness = try await PulseHarness()
        let (server, id) = try await start(harness)
        let ack = try await send(server, "tasks/cancel", ["taskId": .string(id)]).get()
        #expect(ack["resultType"] == "complete")
        let done = try await poll(server, id) { $0["status"] != "input_required" && $0["status"] != "working" }
        #expect(done["status"] == "cancelled")
        let calls = try await harness.fake.controlCalls()
        #expect(!calls.contains { $0.hasSuffix("/decision") || $0.hasSuffix("/execute") }, "\(calls)")
        await harness.stop()
    }
}
