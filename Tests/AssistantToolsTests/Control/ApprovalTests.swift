import AssistantTools
import JSON
import Testing

/// The controlled level: each dispatch waits for a human's answer through elicitation.
@Suite("controlled level approvals")
struct ApprovalTests {
    static let elicitation: JSONValue = ["elicitation": ["form": [:]]]

    @Test("an approved action is sent; the form shows resource, action, route and reason")
    func accepted() async throws {
        let peer = ApprovingPeer(answer: ["action": "accept", "content": ["approve": true]])
        let harness = try ControlHarness(level: .controlled, peer: peer)

        let result = try await harness.call("control_resource", ControlResourceToolTests.stopWeb, capabilities: Self.elicitation)

        let action = try harness.structured(result, "control_resource")
        #expect(action["state"] == "completed")
        #expect(action["approval"] == "granted")
        #expect(action["decision"]?["needsApproval"] == true)
        let asked = try #require(peer.asked.first)
        #expect(asked["mode"] == "form")
        let message = try #require(asked["message"]?.stringValue)
        for fact in ["vm/pve-a/101", "stop", "pulse-agent/pve-a", "maintenance window"] {
            #expect(message.contains(fact), "\(fact)")
        }
        #expect(asked["requestedSchema"]?["required"] == ["approve"])
        #expect(harness.transport.executed.count == 1)
    }

    @Test("a declined, dismissed or unapproving answer refuses approval_declined and sends nothing", arguments: [
        ["action": "decline"] as JSONValue,
        ["action": "cancel"],
        ["action": "accept", "content": ["approve": false]],
        ["unexpected": true],
    ])
    func declined(answer: JSONValue) async throws {
        let harness = try ControlHarness(level: .controlled, peer: ApprovingPeer(answer: answer))

        let result = try await harness.call("control_resource", ControlResourceToolTests.stopWeb, capabilities: Self.elicitation)

        #expect(result["isError"] == true)
        let action = try harness.structured(result, "control_resource")
        #expect(action["state"] == "refused")
        #expect(action["code"] == "approval_declined")
        #expect(action["approval"] == "declined")
        #expect(harness.transport.opened.isEmpty)
    }

    @Test("a client that cannot ask a human gets approval_unavailable", arguments: [
        ("2025-11-25", [:] as JSONValue),
        ("2025-11-25", ["elicitation": ["url": [:]]] as JSONValue),
        ("2025-03-26", ["elicitation": [:]] as JSONValue),
    ] as [(String, JSONValue)])
    func unavailable(version: String, capabilities: JSONValue) async throws {
        let peer = ApprovingPeer(answer: ["action": "accept", "content": ["approve": true]])
        let harness = try ControlHarness(level: .controlled, peer: peer)

        let result = try await harness.call("control_resource", ControlResourceToolTests.stopWeb, capabilities: capabilities, version: version)

        #expect(result["isError"] == true)
        let text = try #require(result["content"]?[0]?["text"]?.stringValue)
        #expect(text.contains("approval_unavailable"))
        #expect(peer.asked.isEmpty)
        #expect(harness.transport.opened.isEmpty)
    }

    @Test("an empty elicitation capability means form mode (2025-06-18)")
    func emptyCapabilityIsForm() async throws {
        let peer = ApprovingPeer(answer: ["action": "accept", "content": ["approve": true]])
        let harness = try ControlHarness(level: .controlled, peer: peer)

        let result = try await harness.call("control_resource", ControlResourceToolTests.stopWeb, capabilities: ["elicitation": [:]], version: "2025-06-18")

        #expect(try harness.structured(result, "control_resource")["state"] == "completed")
        #expect(peer.asked.first?["mode"] == nil)
    }
}
