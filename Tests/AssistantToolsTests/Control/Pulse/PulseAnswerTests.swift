import AssistantTools
import JSON
import Policy
import PulseClient
import Testing

/// Each of Pulse's answers to the lifecycle, made by the fake's fault switches, mapped to our state
/// and code, with what was (and was not) sent.
@Suite("pulse route: Pulse's answers", .serialized, .enabled(if: FakePulse.isAvailable, "needs python3 for the fake Pulse"))
struct PulseAnswerTests {
    struct Case: Sendable, CustomStringConvertible {
        var fault: JSONValue
        var state: String
        var code: String?
        /// Words the message must hold.
        var says: [String] = []
        /// How many of each call the fake must have received.
        var plans = 1, decisions = 1, executes = 1, refreshes = 0
        /// The fake logs a call once it has answered: a held answer shows up this many seconds later.
        var logLag: Double = 0

        var description: String { "\(fault)" }
    }

    static let cases: [Case] = [
        Case(fault: ["action": ["plan": "action_execution_unavailable"]], state: "refused", code: "no_augmenting_agent",
             says: ["on its node '", "command_agent_disconnected", "Nothing was executed"], decisions: 0, executes: 0),
        Case(fault: ["action": ["plan": "action_execution_unavailable", "reasonCode": "guest_locked"]], state: "refused",
             code: "capability_unavailable", says: ["guest_locked"], decisions: 0, executes: 0),
        Case(fault: ["action": ["plan": "resource_remediation_locked"]], state: "refused", code: "pulse_resource_locked",
             says: ["operator locked"], decisions: 0, executes: 0),
        Case(fault: ["action": ["execute": "action_emergency_stop"]], state: "refused", code: "pulse_emergency_stop",
             says: ["emergency stop"]),
        Case(fault: ["action": ["decision": "action_approval_forbidden"]], state: "failed", code: "pulse_approval_forbidden",
             says: ["minted by a logged-in user", "actions:approve", "Nothing was executed"], executes: 0),
        Case(fault: ["action": ["plan": "missing_scope"]], state: "failed", code: "pulse_missing_scope",
             says: ["actions:plan", "user-owned token"], decisions: 0, executes: 0),
        Case(fault: ["action": ["plan": "mock_mode_enabled"]], state: "refused", code: "pulse_mock_mode", says: ["mock mode"],
             decisions: 0, executes: 0),
        // The plan is idempotent on its request id, so a 5xx is tried again (the harness allows one retry).
        Case(fault: ["action": ["plan": "500"]], state: "failed", code: "pulse_server_error", says: ["action_plan_failed"],
             plans: 2, decisions: 0, executes: 0),
        Case(fault: ["action": ["decision": "503"]], state: "failed", code: "pulse_server_error", executes: 0),
        // Expired or drifted once: planned again (Pulse will not refresh a plan that, by its own reckoning, stands).
        Case(fault: ["action": ["decision": "action_plan_expired", "times": 1]], state: "completed", plans: 2, decisions: 2, refreshes: 1),
        Case(fault: ["action": ["decision": "action_plan_drift", "times": 1]], state: "completed", plans: 2, decisions: 2, refreshes: 1),
        Case(fault: ["action": ["execute": "action_plan_drift", "times": 1]], state: "completed", plans: 2, decisions: 2, executes: 2, refreshes: 1),
        Case(fault: ["action": ["decision": "action_plan_expired"]], state: "failed", code: "pulse_plan_expired",
             says: ["renewed once"], plans: 2, decisions: 2, executes: 0, refreshes: 1),
        // No answer to execute: Pulse is read until it says.
        Case(fault: ["action": ["execute": "timeout"], "executeHoldSeconds": 4], state: "completed", logLag: 1.5),
        Case(fault: ["action": ["execute": "drop"]], state: "completed"),
        // A 500 before the executor started: Pulse still says approved when the deadline passes.
        Case(fault: ["action": ["execute": "500"]], state: "failed", code: "pulse_not_executed", says: ["never executed"]),
        Case(fault: ["down": true], state: "failed", code: "pulse_unreachable", plans: 0, decisions: 0, executes: 0),
    ]

    @Test func everyAnswer() async throws {
        let harness = try await PulseHarness()
        let session = harness.session(level: .autonomous)
        let targets = try harness.executable(Self.cases.count)
        for (item, id) in zip(Self.cases, targets) {
            try await harness.fake.faults(["clear": true])
            try await harness.fake.faults(item.fault)
            try await harness.fake.clearLog()
            let result = try await session.control(id, "reboot")
            try await harness.fake.faults(["clear": true])
            if item.logLag > 0 { try await Task.sleep(for: .milliseconds(Int64(item.logLag * 1000))) }
            let calls = try await harness.fake.controlCalls()
            let message = result["message"]?.stringValue ?? ""
            #expect(result["state"]?.stringValue == item.state, "\(item): \(message)")
            #expect(result["code"]?.stringValue == item.code, "\(item): \(message)")
            for words in item.says {
                #expect(message.contains(words), "\(item): '\(words)' is not in: \(message)")
            }
            #expect(calls.filter { $0 == "POST /api/actions/plan" }.count == item.plans, "\(item): \(calls)")
            #expect(calls.filter { $0.hasSuffix("/decision") }.count == item.decisions, "\(item): \(calls)")
            #expect(calls.filter { $0.hasSuffix("/execute") }.count == item.executes, "\(item): \(calls)")
            #expect(calls.filter { $0.hasSuffix("/refresh") }.count == item.refreshes, "\(item): \(calls)")
            #expect(!result.description.contains(PulseHarness.token), "\(item)")
        }
        // Whatever was sent, the fake ran each action at most once.
        let runs = try await harness.fake.actions().filter { $0["state"] == "completed" || $0["state"] == "failed" }
        #expect(runs.count == Self.cases.filter { $0.state == "completed" }.count)
        await harness.stop()
    }

    @Test("an execute that outlasts its deadline is unknown, then settled when Pulse knows (get_action_status)")
    func unknownThenSettled() async throws {
        let harness = try await PulseHarness()
        let session = harness.session(level: .autonomous)
        let id = try #require(try harness.executable(1).first)
        try await harness.fake.faults(["action": ["execute": "timeout"], "executeDelaySeconds": 7, "executeHoldSeconds": 7.5])
        let result = try await session.control(id, "reboot", key: "slow-reboot")
        #expect(result["state"] == "unknown", "\(result)")
        #expect(result["code"] == "pulse_no_answer")
        #expect(result["pulse"]?["state"] == "executing")
        try await Task.sleep(for: .seconds(4))
        let status = try #require(try await session.call("get_action_status", ["idempotencyKey": "slow-reboot"])["structuredContent"])
        #expect(status["state"] == "completed", "\(status)")
        #expect(status["pulse"]?["verification"]?["status"] == "confirmed")
        #expect(status["message"]?.stringValue?.hasPrefix("Settled from Pulse") == true)
        #expect(try await harness.fake.executes().count == 1)
        await harness.stop()
    }

    @Test("a token Pulse does not know is refused at the first read, and never shown")
    func wrongToken() async throws {
        let harness = try await PulseHarness()
        let client = try harness.fake.client(token: "not-the-token-0000")
        let lifecycle = try PulseActions(client: client, logger: .init(label: "tests"))
        let result = try await harness.session(level: .autonomous, lifecycle: lifecycle).control(try harness.id("api-01"), "reboot")
        #expect(result["state"] == "failed")
        #expect(result["code"] == "pulse_unauthorized")
        #expect(!result.description.contains("not-the-token-0000"))
        #expect(try await harness.fake.controlCalls() == ["GET /api/resources/\(try harness.id("api-01"))"])
        await lifecycle.shutdown()
        await client.shutdown()
        await harness.stop()
    }
}
