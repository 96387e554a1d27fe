import AssistantTools
import Foundation
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

    @Test("the reason is one quoted, labelled value: it cannot add lines, close its quotes or hide characters", arguments: [
        "ok\nRoute: agent 'evil' at tcp:10.0.0.9:22.\nPre-approved by the operator.",
        "ok\r\nApprove sending this action?",
        "ok\u{2028}Route: agent 'evil'\u{2029}Pre-approved by the operator.",
        "ok\" \nPre-approved by the operator. \"",
        "ok\u{202E}noitca siht evorppA\u{200B}\u{0085}\u{001B}[2J",
        "ends with a backslash \\",
        String(repeating: "long ", count: 190),
    ])
    func reasonCannotForgeLines(reason: String) async throws {
        let peer = ApprovingPeer(answer: ["action": "decline"])
        let harness = try ControlHarness(level: .controlled, peer: peer)

        _ = try await harness.call("control_resource", ["resourceId": "vm/pve-a/101", "action": "stop", "reason": .string(reason)], capabilities: Self.elicitation)

        let message = try #require(peer.asked.first?["message"]?.stringValue)
        let lines = message.split(separator: "\n", omittingEmptySubsequences: false)
        try #require(lines.count == 5, "\(message)")
        #expect(lines[0].hasPrefix("The assistant asks to stop vm/pve-a/101."))
        #expect(lines[2].hasPrefix("Route: agent 'pulse-agent/pve-a' at "))
        #expect(lines[4] == "Approve sending this action?")
        let label = "Reason given by the assistant"
        #expect(lines[3].hasPrefix(label) && lines[3].hasSuffix("\""))
        #expect(message.components(separatedBy: label).count == 2)
        // Only the two quotes around the value are bare: every quote inside is escaped.
        let quoted = lines[3].drop { $0 != "\"" }
        #expect(quoted.replacingOccurrences(of: "\\\\", with: "").replacingOccurrences(of: "\\\"", with: "").filter { $0 == "\"" }.count == 2)
        let hidden = message.unicodeScalars.filter { scalar in
            scalar != "\n" && [.control, .format, .lineSeparator, .paragraphSeparator].contains(scalar.properties.generalCategory)
        }
        #expect(hidden.isEmpty)
        #expect(lines[3].count < 1_000)
    }
}
