import AssistantTools
import JSON
import Policy
import Testing

/// `explain_control` and the control options of `get_resource`: the decision now, without acting.
@Suite("explain_control and get_resource control options")
struct ExplainControlToolTests {
    @Test("every action of a VM on a node with an agent is routed under autonomous, and nothing is recorded")
    func allActions() async throws {
        let harness = try ControlHarness(level: .autonomous)

        let result = try await harness.call("explain_control", ["resourceId": "vm/pve-a/101"])

        let content = try harness.structured(result, "explain_control")
        let decisions = content["decisions"]?.arrayValue ?? []
        #expect(decisions.compactMap { $0["action"]?.stringValue } == ["start", "stop", "shutdown", "reboot"])
        // web-01 is running: start is not applicable, the rest are routed.
        #expect(decisions.compactMap { $0["outcome"]?.stringValue } == ["refuse", "route", "route", "route"])
        #expect(decisions[0]["code"] == "action_not_applicable")
        #expect(try harness.actionCount() == 0)
        #expect(harness.transport.opened.isEmpty)
    }

    @Test("the answer follows the level", arguments: [
        (ControlLevel.readOnly, "refuse", false),
        (.controlled, "route", true),
        (.autonomous, "route", false),
    ])
    func level(level: ControlLevel, outcome: String, approval: Bool) async throws {
        let harness = try ControlHarness(level: level)
        let content = try harness.structured(try await harness.call("explain_control", ["resourceId": "vm/pve-a/101", "action": "stop"]), "explain_control")
        #expect(content["controlLevel"]?.stringValue == level.rawValue)
        #expect(content["decisions"]?[0]?["outcome"]?.stringValue == outcome)
        #expect(content["decisions"]?[0]?["needsApproval"]?.boolValue == approval)
    }

    @Test("a type without actions says so; an unknown id names the closest")
    func noActionsAndUnknown() async throws {
        let harness = try ControlHarness(level: .autonomous)
        let storage = try harness.structured(try await harness.call("explain_control", ["resourceId": "storage/pbs-01/main"]), "explain_control")
        #expect(storage["decisions"] == [])
        #expect(storage["note"]?.stringValue?.contains("takes no control action") == true)

        let unknown = try await harness.call("explain_control", ["resourceId": "vm/pve-a/10"])
        #expect(unknown["isError"] == true)
        #expect(unknown["content"]?[0]?["text"]?.stringValue?.contains("vm/pve-a/101") == true)
    }

    @Test("get_resource lists the actions open now")
    func getResourceOptions() async throws {
        let harness = try ControlHarness(level: .autonomous)
        let open = try harness.structured(try await harness.call("get_resource", ["id": "vm/pve-a/101"]), "get_resource")["control"]
        #expect(open?["openActions"] == ["stop", "shutdown", "reboot"])
        #expect(open?["options"]?[1]?["route"]?["id"] == "pulse-agent/pve-a")

        let closed = try harness.structured(try await harness.call("get_resource", ["id": "vm/pve-d/144"]), "get_resource")["control"]
        #expect(closed?["openActions"] == [])
        #expect(closed?["options"]?[1]?["code"] == "no_augmenting_agent")

        let readOnly = try ControlHarness(level: .readOnly)
        let none = try readOnly.structured(try await readOnly.call("get_resource", ["id": "vm/pve-a/101"]), "get_resource")["control"]
        #expect(none?["openActions"] == [])
        #expect(none?["options"]?[1]?["code"] == "control_disabled")
    }
}
