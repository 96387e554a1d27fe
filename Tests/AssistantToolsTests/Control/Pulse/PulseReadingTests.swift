import Foundation
import ControlEndpoints
import JSON
import Policy
import Testing

@testable import AssistantTools

/// What the pulse route reads of Pulse's bodies, checked against the shared fixtures (built from
/// Pulse's Go structs): the plan, a refresh's detail, capabilities and readiness, the outcome.
@Suite struct PulseReadingTests {
    static func fixture(_ name: String) throws -> JSONValue {
        let url = Fixtures.repositoryRoot.appendingPathComponent("Tests/PulseClientTests/Fixtures/\(name)")
        return try JSONParser.parse(Array(try Data(contentsOf: url)))
    }

    @Test func thePlan() throws {
        let plan = try #require(PulsePlan(try Self.fixture("api-actions-plan.response.json")))
        #expect(plan.actionId == "act_f916f25950e3cc0a7825eaecc68eb0b8")
        #expect(plan.planHash.hasPrefix("sha256:"))
        #expect(plan.lifetimeSeconds == 300)
        #expect(plan.requiresApproval)
        #expect(plan.state == "pending_approval")
        #expect(plan.capabilityName == "reboot")
        #expect(plan.intendedChange == "Reboot this Proxmox VM")
        #expect(plan.blastRadius == ["vm-9493142bd2bf2b8e", "agent-c280398dd9e79c7c"])
        #expect(plan.approvalLines.first == "Pulse's plan act_f916f25950e3cc0a7825eaecc68eb0b8: Reboot this Proxmox VM.")
    }

    @Test func aDetailCarriesItsPlan() throws {
        let detail = try Self.fixture("api-actions-get.response.json")
        let plan = try #require(PulsePlan(detail: detail))
        #expect(plan.state == "completed")
        var renewed = plan
        renewed.actionId = "act_other"
        renewed.planHash = "sha256:other"
        #expect(!renewed.differs(from: plan), "a new id and hash alone is the same plan, renewed")
        renewed.resourceVersion = "resource:sha256:changed"
        #expect(renewed.differs(from: plan))
    }

    @Test func capabilitiesAndReadiness() throws {
        let list = try Self.fixture("api-resources.list.json")
        let rows = list["data"]?.arrayValue ?? []
        let vm = try #require(rows.first { $0["id"] == "vm-9493142bd2bf2b8e" })
        let offered = PulseCapabilities(vm)
        guard case .available(let reboot) = offered.lookup(.reboot) else { Issue.record("reboot: \(offered)"); return }
        #expect(reboot.name == "reboot")
        #expect(offered.lookup(.restart) == .available(reboot), "restart and reboot are one to Pulse")
        #expect(offered.lookup(.delete) == .absent)
        let disconnected = try #require(rows.first { row in
            row["actionReadiness"]?.arrayValue?.contains { $0["reasonCode"] == "command_agent_disconnected" } == true
        })
        guard case .unavailable(let why) = PulseCapabilities(disconnected).lookup(.reboot) else { Issue.record("\(disconnected)"); return }
        #expect(why.reasonCode == "command_agent_disconnected")
        #expect(why.reason?.isEmpty == false)
    }

    @Test func theOutcomeOfAnExecute() throws {
        let answer = try Self.fixture("api-actions-execute.response.json")
        let subject = PulseSubject(action: "reboot", resource: "vm 'web-01' (vm-9493142bd2bf2b8e)", node: nil, platform: "Proxmox VE")
        let ending = PulseOutcome.ending(
            state: answer["state"]?.stringValue ?? "", result: answer["result"], actionId: answer["actionId"]?.stringValue ?? "", subject: subject
        )
        #expect(ending.state == .completed)
        #expect(ending.code == nil)
        #expect(ending.message.contains("Verification: confirmed, agent_attested: status: running."), "\(ending.message)")
        #expect(ending.observed?["verification"]?["evidence"]?.arrayValue?.count == 1)
        var state = PulseActionState(requestId: "key:k")
        state.adopt(result: answer["result"], state: "completed")
        let summary = try JSONParser.parse(state.auditSummary)
        #expect(summary["state"] == "completed")
        #expect(summary["verification"] == ["status": "confirmed", "evidenceClass": "agent_attested", "summary": "status: running"])
        #expect(PulseActionState(parsing: state.text) == state)
    }

    @Test(arguments: [
        (409, #"{"error":"action_execution_unavailable","message":"m","details":{"reasonCode":"command_agent_disconnected","reason":"Proxmox node command agent is not connected."}}"#, "refused", "no_augmenting_agent"),
        (404, #"{"error":"capability_not_found","message":"Capability not found on resource"}"#, "refused", "capability_unavailable"),
        (404, "Resource not found\n", "refused", "resource_not_found"),
        (403, #"{"error":"missing_scope","requiredScope":"monitoring:read"}"#, "failed", "pulse_missing_scope"),
        (401, "Invalid API token\n", "failed", "pulse_unauthorized"),
        (409, #"{"error":"action_not_approved","message":"Action is not approved for execution"}"#, "failed", "pulse_refused"),
    ])
    func envelopes(status: Int, body: String, state: String, code: String) {
        let subject = PulseSubject(action: "reboot", resource: "vm 'web-01' (vm-1)", node: "'pve1' (agent-1)", platform: "Proxmox VE")
        let answer = ControlEndpoints.PulseAnswer.answered(status: status, body: try? JSONParser.parse(Array(body.utf8)), text: body)
        let ending = PulseAnswerMapping.ending(for: answer, of: .plan([:]), subject: subject)
        #expect(ending.state.rawValue == state)
        #expect(ending.code == code)
        #expect(ending.message.contains("Nothing was executed"))
        if code == "no_augmenting_agent" { #expect(ending.message.contains("'pve1' (agent-1)")) }
        if code == "pulse_missing_scope" { #expect(ending.message.contains("monitoring:read")) }
    }
}
