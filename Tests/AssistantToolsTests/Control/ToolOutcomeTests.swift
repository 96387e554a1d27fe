import AuditLog
import JSON
import JSONRPC
import Policy
import ResourceStore
import Testing

@testable import AssistantTools

/// The audit records what a tool reports beside its result (``ToolOutcome``), never what it reads back
/// from the tool's output: renaming an output field cannot change a record.
@Suite("tool outcome")
struct ToolOutcomeTests {
    static let tools = AssistantServer.make(manifest: Fixtures.manifest, manifestSource: "tests", stores: Fixtures.demoStores)
        .registry.descriptors.map(\.name)

    static let routed = ToolOutcome(
        kind: .routed, controlClass: .augmentationOnly, route: "pulse-agent/pve-a", code: nil, actionId: "act-000001"
    )

    /// A result whose fields say something else than the typed outcome, under other names and the old ones.
    static let misleading: [JSONValue] = [
        ["content": [["type": "text", "text": "{}"]], "structuredContent": ["verdict": ["controlClass": "supported"], "status": "refused"]],
        ["content": [["type": "text", "text": "{}"]], "structuredContent": ["decision": ["controlClass": "read-only", "route": ["id": "elsewhere"]], "state": "failed", "actionId": "act-9"]],
        ["content": [["type": "text", "text": #"{"decision":{"controlClass":"n/a"},"state":"refused"}"#]]],
    ]

    func blank(_ tool: String) -> AuditRecord {
        AuditRecord(
            at: 0, session: "ses-1", clientName: "tests", clientVersion: "1.0", tool: tool, arguments: "{}", resourceId: nil,
            outcome: "ok", durationMicroseconds: 0
        )
    }

    @Test("every tool's record takes the typed outcome, whatever the result's fields are named", arguments: tools)
    func typedOutcome(_ tool: String) throws {
        try #require(Self.tools.count >= 10)
        for result in Self.misleading {
            var record = blank(tool)
            AuditTrail.describe(.success(result), outcome: Self.routed, into: &record)
            #expect(record.outcome == "routed")
            #expect(record.controlClass == "augmentation-only")
            #expect(record.route == "pulse-agent/pve-a")
            #expect(record.actionId == "act-000001")
            #expect(record.code == nil)
        }
    }

    @Test("every tool without a reported outcome is ok, or tool_error for an isError result; never parsed", arguments: tools)
    func noOutcome(_ tool: String) {
        for result in Self.misleading {
            var record = blank(tool)
            AuditTrail.describe(.success(result), outcome: nil, into: &record)
            #expect(record.outcome == "ok")
            #expect(record.controlClass == nil && record.route == nil && record.actionId == nil && record.code == nil)
            var failed = blank(tool)
            guard case .object(var flagged) = result else { continue }
            flagged["isError"] = true
            AuditTrail.describe(.success(.object(flagged)), outcome: nil, into: &failed)
            #expect(failed.outcome == "error")
            #expect(failed.code == "tool_error")
            #expect(failed.controlClass == nil)
        }
        var error = blank(tool)
        AuditTrail.describe(.failure(.invalidParams("x")), outcome: Self.routed, into: &error)
        #expect(error.outcome == "error")
        #expect(error.code == "-32602")
    }

    @Test("a control call's record is its action row's outcome, the decision read back into its type")
    func fromTheActionRow() async throws {
        let harness = try ControlHarness(level: .autonomous)
        _ = try await harness.call("control_resource", ControlResourceToolTests.stopWeb)
        _ = try await harness.call("control_resource", ["resourceId": "container/docker-01/nginx", "action": "restart", "reason": "r"])
        _ = try await harness.call("control_resource", ["resourceId": "vm/pve-d/144", "action": "stop", "reason": "r"])
        _ = try await harness.call("control_resource", ["resourceId": "vm/pve-a/101", "action": "stop", "reason": "r", "dryRun": true])

        let store = try harness.stores.store()
        let all = try store.auditRecords(AuditFilter(limit: 10))
        // Each dispatched action has its `dispatched` record first, with the class and route of its decision.
        #expect(all.map(\.outcome) == ["dispatched", "routed", "dispatched", "executed", "refused", "ok"])
        for (dispatched, ended) in [(all[0], all[1]), (all[2], all[3])] {
            #expect(dispatched.actionId == ended.actionId)
            #expect(dispatched.controlClass == ended.controlClass)
            #expect(dispatched.route == ended.route)
        }
        let audit = all.filter { $0.outcome != "dispatched" }
        #expect(audit.map(\.outcome) == ["routed", "executed", "refused", "ok"])
        for record in audit.prefix(3) {
            let action = try #require(try store.read { try $0.action(id: record.actionId ?? "") })
            let decision = try #require(action.typedDecision)
            // The row keeps the typed record's own encoding, and it reads back unchanged.
            #expect(JSONSerializer.string(decision.jsonValue) == action.decision)
            #expect(ActionDecision(parsing: action.decision) == decision)
            let outcome = ToolOutcome(action: action)
            #expect(record.outcome == outcome.kind.rawValue)
            #expect(record.controlClass == outcome.controlClass?.rawValue)
            #expect(record.route == outcome.route)
            #expect(record.code == outcome.code)
        }
        #expect(audit[0].route == "pulse-agent/pve-a")
        #expect(audit[2].code == "no_augmenting_agent")
        #expect(audit[3].actionId == nil)
        #expect(audit[3].controlClass == "augmentation-only")
        #expect(audit[3].route == "pulse-agent/pve-a")
    }

    @Test("a decision's text that is not the record's encoding does not read back", arguments: [
        "", "{}", #"{"action":"stop","outcome":"route","controlClass":null,"controlLevel":"autonomous","needsApproval":false,"message":"m"}"#,
        #"{"action":"stop","outcome":"refuse","controlClass":"bogus","controlLevel":"autonomous","needsApproval":false,"message":"m","code":"control_disabled","hint":"h"}"#,
    ])
    func rejectsOtherText(_ text: String) {
        #expect(ActionDecision(parsing: text) == nil)
    }
}
