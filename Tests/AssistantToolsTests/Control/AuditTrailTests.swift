import AssistantTools
import AuditLog
import Fleet
import JSON
import Policy
import ResourceStore
import Testing

/// Every tools/call leaves one audit record, committed before the answer, with the outcome an operator reads.
@Suite("audit trail")
struct AuditTrailTests {
    /// The records of the calls, without those of the dispatches (see ``StaleActionTests``).
    func records(_ harness: ControlHarness) throws -> [AuditRecord] {
        try harness.stores.store().auditRecords(AuditFilter(limit: 1000)).filter { $0.outcome != "dispatched" }
    }

    @Test("each call is one record, chained, with its outcome, class, route, code and action")
    func outcomes() async throws {
        let harness = try ControlHarness(level: .autonomous)
        _ = try await harness.call("get_resource", ["id": "vm/pve-a/101"])
        _ = try await harness.call("control_resource", ControlResourceToolTests.stopWeb)
        _ = try await harness.call("control_resource", ["resourceId": "container/docker-01/nginx", "action": "restart", "reason": "r"])
        _ = try await harness.call("control_resource", ["resourceId": "vm/pve-d/144", "action": "stop", "reason": "r"])
        _ = try await harness.call("get_resource", ["id": "nope"])
        _ = try? await harness.call("no_such_tool", [:])
        harness.transport.behaviour = .answer(.unknown)
        _ = try? await harness.call("control_resource", ["resourceId": "vm/pve-a/103", "action": "stop", "reason": "r"])

        let all = try harness.stores.store().auditRecords(AuditFilter(limit: 1000))
        // Each dispatch is recorded before it is sent (outcome dispatched), then the call when it ends.
        #expect(all.map(\.outcome).filter { $0 == "dispatched" }.count == 3)
        #expect(try AuditVerifier.verify(harness.stores.store().audit) == .intact(count: 10, head: all.last?.hash ?? ""))
        let audit = all.filter { $0.outcome != "dispatched" }
        #expect(audit.map(\.tool) == ["get_resource", "control_resource", "control_resource", "control_resource", "get_resource", "no_such_tool", "control_resource"])
        #expect(audit.map(\.outcome) == ["ok", "routed", "executed", "refused", "error", "error", "failed"])
        #expect(audit[1].controlClass == "augmentation-only")
        #expect(audit[1].route == "pulse-agent/pve-a")
        #expect(audit[1].actionId == "act-000001")
        #expect(audit[2].controlClass == "supported")
        #expect(audit[3].code == "no_augmenting_agent")
        #expect(audit[5].code == "-32602")
        #expect(audit[6].code == "endpoint_no_answer")
        #expect(audit.allSatisfy { $0.clientName == "tests" && $0.clientVersion == "1.0" && $0.at == 1_795_860_000_000 })
        #expect(Set(audit.map(\.session)).count == 1)
        #expect(audit.map(\.resourceId) == ["vm/pve-a/101", "vm/pve-a/101", "container/docker-01/nginx", "vm/pve-d/144", "nope", nil, "vm/pve-a/103"])
    }

    @Test("before 2025-06-18 a control call's class and route are recorded too (the tool reports them, typed)")
    func textOnlyResults() async throws {
        let harness = try ControlHarness(level: .autonomous)
        _ = try await harness.call("control_resource", ControlResourceToolTests.stopWeb, version: "2025-03-26")
        _ = try await harness.call("get_resource", ["id": "vm/pve-a/101"], version: "2025-03-26")

        let audit = try records(harness)
        #expect(audit.map(\.outcome) == ["routed", "ok"])
        #expect(audit[0].controlClass == "augmentation-only")
        #expect(audit[0].route == "pulse-agent/pve-a")
        #expect(audit[1].controlClass == nil)
    }

    @Test("secrets in arguments are redacted in the record")
    func redaction() async throws {
        let harness = try ControlHarness(level: .autonomous)
        _ = try await harness.call("control_resource", [
            "resourceId": "vm/pve-a/101", "action": "stop", "reason": "curl -H 'Authorization: Bearer abc123def456ghi'",
            "apiKey": "k-123456789", "password": "hunter2", "nested": ["clientSecret": "s", "jwt": "eyJhbGciOi.eyJzdWIi.c2ln"],
        ])
        let record = try #require(try records(harness).first)
        for secret in ["abc123def456ghi", "k-123456789", "hunter2", "eyJhbGciOi"] {
            #expect(!record.arguments.contains(secret), "\(secret) in \(record.arguments)")
        }
        #expect(record.arguments.contains("Bearer [redacted]"))
        #expect(record.arguments.contains(#""resourceId":"vm/pve-a/101""#))
    }

    @Test("a huge argument is refused with a bounded answer and kept bounded in the record")
    func hugeArguments() async throws {
        // Given calls with a million array items, 100 000 unknown keys and a 1 MiB id
        let harness = try ControlHarness(level: .autonomous)
        var unknown: JSONObject = [:]
        for index in 0..<100_000 { unknown["k\(index)"] = 1 }
        let megabyte = String(repeating: "x", count: 1 << 20)
        let answers = [
            try await harness.call("search_resources", ["types": .array(Array(repeating: 1, count: 1_000_000))]),
            try await harness.call("search_resources", .object(unknown)),
            try await harness.call("control_resource", ["resourceId": .string(megabyte), "action": "stop", "reason": "r"]),
        ]

        // Then each is refused in a few kilobytes
        for answer in answers {
            #expect(answer["isError"] == true)
            #expect(JSONSerializer.bytes(answer).count < 8_192)
        }
        // and the audit keeps a bounded cut of each call
        let audit = try records(harness)
        #expect(audit.count == 3)
        #expect(audit.allSatisfy { $0.arguments.utf8.count <= 16_384 })
        #expect(audit[0].arguments.contains("and 999968 more items"))
        #expect(audit[1].arguments.contains("and 99936 more keys"))
        #expect((audit[2].resourceId?.count ?? 0) < 600)
        // and no action was recorded for the refused control call.
        #expect(try harness.stores.store().read { try $0.action(id: "act-000001") } == nil)
    }

    @Test("--audit control records only control calls")
    func controlScope() async throws {
        let stores = try ControlHarness.freshDemoStore()
        let server = AssistantServer.make(
            manifest: Fixtures.manifest, manifestSource: "tests", stores: stores,
            control: .init(settings: ControlSettings(level: .readOnly), clock: .fixed(DemoFleet.defaultNow), ids: .sequential(), transport: FakeTransport()),
            audit: .init(scope: .control, session: "ses-test")
        )
        let client = InProcessClient(server)
        try await client.initialize()
        _ = try await client.callTool("get_resource", ["id": "vm/pve-a/101"])
        _ = try await client.callTool("explain_control", ["resourceId": "vm/pve-a/101"])
        _ = try await client.callTool("control_resource", ControlResourceToolTests.stopWeb)
        let audit = try stores.store().auditRecords(AuditFilter())
        #expect(audit.map(\.tool) == ["control_resource"])
        #expect(audit.first?.session == "ses-test")
        #expect(audit.first?.outcome == "refused")
    }
}
