import AssistantTools
import Foundation
import JSON
import Policy
import ResourceStore
import Testing

/// The same idempotency key never executes twice on Pulse: not on a retry, not from two servers on one
/// store, not after a server is killed mid-way (the next one finds the open action, asks Pulse, and
/// finishes or reports it).
@Suite("pulse route: exactly once", .serialized, .enabled(if: FakePulse.isAvailable, "needs python3 for the fake Pulse"))
struct PulseIdempotencyTests {
    @Test("a retry with the same key is the first action, replayed; Pulse executed it once")
    func retry() async throws {
        let harness = try await PulseHarness()
        let session = harness.session(level: .autonomous)
        let id = try harness.id("api-01")
        let first = try await session.control(id, "reboot", key: "maint-api-01")
        let again = try await session.control(id, "reboot", key: "maint-api-01", reason: "asked again")
        #expect(first["state"] == "completed")
        #expect(again["state"] == "completed")
        #expect(again["replayed"] == true)
        #expect(again["actionId"] == first["actionId"])
        #expect(try await harness.fake.executes().count == 1)
        let plan = try #require(try await harness.fake.log().first { $0["path"] == "/api/actions/plan" }?["body"])
        #expect(plan["requestId"] == "key:maint-api-01")
        await harness.stop()
    }

    @Test("two servers on one store, racing with one key: one plan, one execute")
    func twoServers() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pulse-two-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("store.db").path
        let harness = try await PulseHarness(storePath: path)
        try await harness.fake.faults(["executeDelaySeconds": 1])
        let other = StoreProvider(try ResourceStore.open(path: path), description: "the second server's")
        let a = harness.session(level: .autonomous)
        let b = harness.session(level: .autonomous, stores: other)
        let id = try harness.id("api-05")
        async let first = a.control(id, "reboot", key: "race-1")
        async let second = b.control(id, "reboot", key: "race-1")
        let results = try await [first, second]
        #expect(Set(results.compactMap { $0["actionId"]?.stringValue }).count == 1)
        #expect(results.filter { $0["replayed"] == true }.count == 1, "\(results)")
        #expect(results.contains { $0["state"] == "completed" })
        try await Task.sleep(for: .seconds(1))
        #expect(try await harness.fake.executes().count == 1)
        #expect(try await harness.fake.controlCalls().filter { $0 == "POST /api/actions/plan" }.count == 1)
        await harness.stop()
    }

    @Test("a server killed between plan and execute: the next one asks Pulse and reports that nothing ran",
          .enabled(if: ChildServer.isAvailable, "needs the built pulse-assistant"))
    func killedBeforeExecute() async throws {
        let (directory, path) = try Self.storeFile()
        defer { try? FileManager.default.removeItem(at: directory) }
        let harness = try await PulseHarness(storePath: path)
        let id = try harness.id("api-07")
        // Controlled: the child plans, then asks the test's human, who never answers.
        let child = try Self.serve(harness, path: path, level: "controlled")
        try await child.initialize()
        try child.send(Self.controlCall(id, key: "crash-1"))
        _ = try await child.next { $0["method"] == "elicitation/create" }
        child.kill()
        #expect(try await harness.fake.controlCalls().filter { $0 == "POST /api/actions/plan" }.count == 1)

        let next = harness.session(level: .autonomous)
        let found = try await next.control(id, "reboot", key: "crash-1")
        #expect(found["replayed"] == true)
        #expect(found["state"] == "dispatched", "the first server may still be asking: \(found)")
        #expect(found["pulse"]?["stage"] == "planned")
        // Past every deadline of the route, the row is abandoned: Pulse says nothing ran.
        harness.clock.advance(seconds: 3600)
        let status = try #require(try await next.call("get_action_status", ["idempotencyKey": "crash-1"])["structuredContent"])
        #expect(status["state"] == "failed", "\(status)")
        #expect(status["code"] == "pulse_not_executed")
        #expect(status["pulse"]?["state"] == "pending_approval")
        let calls = try await harness.fake.controlCalls()
        #expect(calls.filter { $0.hasSuffix("/decision") || $0.hasSuffix("/execute") }.isEmpty, "\(calls)")
        await harness.stop()
    }

    @Test("a server killed while Pulse executes: the next one finds it executing, then completed",
          .enabled(if: ChildServer.isAvailable, "needs the built pulse-assistant"))
    func killedDuringExecute() async throws {
        let (directory, path) = try Self.storeFile()
        defer { try? FileManager.default.removeItem(at: directory) }
        let harness = try await PulseHarness(storePath: path)
        try await harness.fake.faults(["executeDelaySeconds": 4])
        let id = try harness.id("api-07")
        let child = try Self.serve(harness, path: path, level: "autonomous")
        try await child.initialize()
        try child.send(Self.controlCall(id, key: "crash-2"))
        try await Self.waitUntil { try await harness.fake.actions().contains { $0["state"] == "executing" } }
        child.kill()

        let next = harness.session(level: .autonomous)
        let open = try #require(try await next.call("get_action_status", ["idempotencyKey": "crash-2"])["structuredContent"])
        #expect(open["state"] == "dispatched", "\(open)")
        #expect(open["pulse"]?["stage"] == "executing")
        let retried = try await next.control(id, "reboot", key: "crash-2")
        #expect(retried["replayed"] == true)
        try await Task.sleep(for: .seconds(4))
        let done = try #require(try await next.call("get_action_status", ["idempotencyKey": "crash-2"])["structuredContent"])
        #expect(done["state"] == "completed", "\(done)")
        #expect(done["pulse"]?["verification"]?["status"] == "confirmed")
        #expect(try await harness.fake.executes().count == 1)
        await harness.stop()
    }

    // MARK: - Helpers

    static func storeFile() throws -> (URL, String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pulse-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return (directory, directory.appendingPathComponent("store.db").path)
    }

    static func serve(_ harness: PulseHarness, path: String, level: String) throws -> ChildServer {
        try ChildServer(
            arguments: [
                "serve", "--pulse-url", harness.fake.url, "--store", path, "--control-level", level,
                "--pulse-execute-deadline", "30", "--log-level", "error",
            ],
            environment: ["PULSE_API_TOKEN": PulseHarness.token, "PATH": "/usr/bin:/bin"]
        )
    }

    static func controlCall(_ id: String, key: String) -> JSONValue {
        [
            "jsonrpc": "2.0", "id": 2, "method": "tools/call",
            "params": ["name": "control_resource", "arguments": [
                "resourceId": .string(id), "action": "reboot", "reason": "crash test", "idempotencyKey": .string(key),
            ]],
        ]
    }

    static func waitUntil(timeout: Duration = .seconds(20), _ condition: () async throws -> Bool) async throws {
        let end = ContinuousClock.now + timeout
        while ContinuousClock.now < end {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("the condition did not hold within \(timeout)")
    }
}
