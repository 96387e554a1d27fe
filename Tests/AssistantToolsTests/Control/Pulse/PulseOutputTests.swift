import AssistantTools
import AuditLog
import GRDB
import JSON
import Policy
import ResourceStore
import Testing

/// What a Pulse-routed action leaves behind: explain_control's route and Pulse's capability, the
/// action row and get_action_status with Pulse's side, the audit record with Pulse's action id, state
/// and verification, and the token nowhere.
@Suite("pulse route: explain, status, audit", .serialized, .enabled(if: FakePulse.isAvailable, "needs python3 for the fake Pulse"))
struct PulseOutputTests {
    @Test("explain_control shows the pulse route, Pulse's capability and, when unavailable, Pulse's reason; it sends nothing")
    func explain() async throws {
        let harness = try await PulseHarness()
        let session = harness.session(level: .controlled)
        func explain(_ name: String, _ action: String) async throws -> JSONValue {
            let result = try await session.call("explain_control", ["resourceId": .string(try harness.id(name)), "action": .string(action)])
            return try #require(try session.structured(result, "explain_control")["decisions"]?[0])
        }
        let guest = try await explain("api-01", "reboot")
        #expect(guest["outcome"] == "route")
        #expect(guest["route"]?["kind"] == "pulse")
        #expect(guest["route"]?["via"]?.stringValue?.hasPrefix("pulse-agent:") == true)
        #expect(guest["pulse"]?["capability"] == "reboot")
        #expect(guest["pulse"]?["available"] == true)
        #expect(guest["message"]?.stringValue?.contains("sent through the Pulse server 'pulse'") == true, "\(guest)")
        let app = try await explain("plex-01", "restart")
        #expect(app["outcome"] == "execute")
        #expect(app["route"]?["kind"] == "pulse")
        #expect(app["pulse"]?["available"] == false)
        #expect(app["pulse"]?["reasonCode"] == "unsupported_handler")
        let pod = try await explain("pod-01", "delete")
        #expect(pod["pulse"]?["capability"] == .null)
        #expect(pod["pulse"]?["reason"]?.stringValue?.contains("offers no delete capability") == true)
        let orphan = try await explain("api-02", "reboot")
        #expect(orphan["outcome"] == "refuse")
        #expect(orphan["code"] == "no_augmenting_agent")
        #expect(orphan["pulse"]?["reasonCode"] == "command_agent_disconnected")
        #expect(try await harness.fake.controlCalls().isEmpty)
        await harness.stop()
    }

    @Test("the row, get_action_status and the audit carry Pulse's action id, state and verification")
    func recorded() async throws {
        let harness = try await PulseHarness()
        let session = harness.session(level: .autonomous)
        let id = try harness.id("grafana-01")
        let result = try await session.control(id, "restart", key: "restart-grafana")
        #expect(result["state"] == "completed")
        let actionId = try #require(result["pulse"]?["actionId"]?.stringValue)
        #expect(result["observed"]?["verification"]?["evidenceClass"] == "agent_attested")
        #expect(result["message"]?.stringValue?.contains("Verification: confirmed") == true, "\(result)")

        let status = try session.structured(
            try await session.call("get_action_status", ["actionId": result["actionId"] ?? .null]), "get_action_status"
        )
        #expect(status["pulse"] == result["pulse"])
        #expect(status["pulse"]?["stage"] == "ended")

        let store = try harness.stores.store()
        let records = try store.auditRecords(AuditFilter(limit: 100))
        #expect(try AuditVerifier.verify(store.audit) == .intact(count: records.count, head: records.last?.hash ?? ""))
        let dispatched = try #require(records.first { $0.outcome == "dispatched" })
        #expect(dispatched.route == "pulse")
        let call = try #require(records.last { $0.tool == "control_resource" && $0.outcome != "dispatched" })
        #expect(call.outcome == "executed")
        #expect(call.route == "pulse")
        let pulse = try #require(call.pulse.flatMap { try? JSONParser.parse($0) })
        #expect(pulse["actionId"]?.stringValue == actionId)
        #expect(pulse["state"] == "completed")
        #expect(pulse["verification"]?["status"] == "confirmed")

        // The token is in no row, record or answer.
        let rows = try await store.database.read { db -> [String] in
            try String.fetchAll(db, sql: "SELECT coalesce(pulse, '') || coalesce(message, '') || request FROM action")
        }
        #expect(!rows.joined().contains(PulseHarness.token))
        #expect(!records.map { String(decoding: $0.line, as: UTF8.self) }.joined().contains(PulseHarness.token))
        #expect(!status.description.contains(PulseHarness.token))
        await harness.stop()
    }

    @Test("an audit record without Pulse's side keeps the hash it always had")
    func auditHashUnchanged() {
        var record = AuditRecord(
            at: 1, session: "ses-1", clientName: "c", clientVersion: "1", tool: "get_resource", arguments: "{}", outcome: "ok",
            durationMicroseconds: 5
        )
        #expect(!String(decoding: record.canonical, as: UTF8.self).contains("pulse"))
        record.pulse = #"{"actionId":"act_1","state":"completed"}"#
        let text = String(decoding: record.canonical, as: UTF8.self)
        #expect(text.contains(#""previousHash":"#) && text.contains(#""pulse":"#))
        record.seq = 3
        record.hash = record.computedHash
        let line = record.line.dropLast()
        #expect((try? AuditRecord(line: line)) == record)
    }
}
