import AssistantTools
import AuditLog
import JSONRPC
import Policy
import ResourceStore
import Testing

/// Actions a killed server left `dispatched` or `planned` are settled as the state machine says once
/// their deadlines have passed, when a server next reads them; the audit holds the dispatch itself.
@Suite("stale actions")
struct StaleActionTests {
    static let hour: Int64 = 3_600_000
    static let now: Int64 = 1_795_860_000_000

    /// Writes an action as a server killed at `step` would have left it, an hour before the harness's clock.
    func leave(_ id: String, key: String, approval: String, dispatched: Bool, in harness: ControlHarness) async throws {
        let store = try harness.stores.store()
        let dry = try await harness.call("control_resource", ["resourceId": "vm/pve-a/101", "action": "stop", "reason": "r", "dryRun": true])
        let decision = try #require(dry["structuredContent"]?["decision"]).description
        let then = Self.now - Self.hour
        let row = ActionRecord(
            id: id, idempotencyKey: key, resourceId: "vm/pve-a/101", action: "stop", reason: "r",
            request: #"{"resourceId":"vm/pve-a/101","action":"stop","reason":"r"}"#, controlLevel: "autonomous",
            decision: decision, approval: approval, state: .planned, createdAt: then
        )
        #expect(try store.record(row) == .recorded(row))
        if dispatched {
            #expect(try store.advance(action: id, from: [.planned], to: .dispatched, at: then) != nil)
        }
    }

    @Test("dispatched → unknown, pending approval → refused, planned without approval → failed", arguments: [
        ("not-needed", true, "unknown", "endpoint_no_answer", "not-needed"),
        ("pending", false, "refused", "approval_declined", "declined"),
        ("not-needed", false, "failed", "dispatch_interrupted", "not-needed"),
    ])
    func settled(approval: String, dispatched: Bool, state: String, code: String, finalApproval: String) async throws {
        let harness = try ControlHarness(level: .autonomous)
        try await leave("act-killed", key: "k-1", approval: approval, dispatched: dispatched, in: harness)

        let status = try harness.structured(try await harness.call("get_action_status", ["actionId": "act-killed"]), "get_action_status")

        #expect(status["state"]?.stringValue == state)
        #expect(status["code"]?.stringValue == code)
        #expect(status["approval"]?.stringValue == finalApproval)
        #expect(status["finishedAt"] == "2026-11-28T10:00:00.000Z")
        // The key now answers the final state, and never sends again.
        let retry = try await harness.call("control_resource", ["resourceId": "vm/pve-a/101", "action": "stop", "reason": "r", "idempotencyKey": "k-1"])
        #expect(retry["structuredContent"]?["replayed"] == true)
        #expect(retry["structuredContent"]?["state"]?.stringValue == state)
        #expect(harness.transport.opened.isEmpty)
    }

    @Test("a server that opens a store settles what an earlier one left, before any call")
    func settledAtStart() async throws {
        let earlier = try ControlHarness(level: .autonomous)
        try await leave("act-killed", key: "k-1", approval: "not-needed", dispatched: true, in: earlier)

        _ = try ControlHarness(level: .autonomous, stores: earlier.stores)

        let row = try earlier.stores.store().read { try $0.action(id: "act-killed") }
        #expect(row?.state == .unknown)
        #expect(row?.code == "endpoint_no_answer")
    }

    @Test("an action still within its deadlines is left as it is")
    func fresh() async throws {
        let harness = try ControlHarness(level: .autonomous)
        let store = try harness.stores.store()
        let row = ActionRecord(
            id: "act-live", idempotencyKey: nil, resourceId: "vm/pve-a/101", action: "stop", reason: "r", request: "{}",
            controlLevel: "autonomous", decision: "{}", approval: "not-needed", state: .planned, createdAt: Self.now - 1_000
        )
        _ = try store.record(row)
        _ = try store.advance(action: "act-live", from: [.planned], to: .dispatched, at: Self.now - 1_000)

        let status = try await harness.call("get_action_status", ["actionId": "act-live"])
        #expect(status["structuredContent"]?["state"] == "dispatched")
    }

    @Test("the dispatch is in the audit before the endpoint is asked")
    func dispatchAudited() async throws {
        let harness = try ControlHarness(level: .autonomous)
        _ = try await harness.call("control_resource", ControlResourceToolTests.stopWeb)

        let audit = try harness.stores.store().auditRecords(AuditFilter(limit: 10))
        #expect(audit.map(\.outcome) == ["dispatched", "routed"])
        #expect(audit[0].actionId == "act-000001" && audit[0].route == "pulse-agent/pve-a")
        #expect(audit[0].arguments.contains("vm/pve-a/101"))
    }
}
