import AssistantTools
import ControlEndpoints
import JSON
import Policy
import Synchronization
import Testing

/// Under `controlled`, the human is asked once Pulse has planned the action, sees Pulse's plan, and
/// nothing is decided or executed on Pulse until they say yes.
@Suite("pulse route: approval", .serialized, .enabled(if: FakePulse.isAvailable, "needs python3 for the fake Pulse"))
struct PulseApprovalTests {
    @Test("the human sees Pulse's plan; a yes sends the decision bound to its hash, then execute")
    func approved() async throws {
        let harness = try await PulseHarness()
        let peer = ScriptedPeer.approving()
        let id = try harness.id("api-01")
        let result = try await harness.session(level: .controlled, peer: peer).control(id, "reboot", reason: "kernel update")
        #expect(result["state"] == "completed", "\(result)")
        #expect(result["approval"] == "granted")
        let message = try #require(peer.asked.first?["message"]?.stringValue)
        let actionId = try #require(result["pulse"]?["actionId"]?.stringValue)
        #expect(message.contains("Pulse's plan \(actionId)"), "\(message)")
        #expect(message.contains("Route: pulse 'pulse' at \(harness.fake.url), through its agent 'pulse-agent:"), "\(message)")
        #expect(try await harness.fake.controlCalls() == [
            "GET /api/resources/\(id)", "POST /api/actions/plan", "POST /api/actions/\(actionId)/decision",
            "POST /api/actions/\(actionId)/execute",
        ])
        let log = try await harness.fake.log()
        let decision = try #require(log.first { $0["path"]?.stringValue?.hasSuffix("/decision") == true }?["body"])
        #expect(decision["outcome"] == "approved")
        #expect(decision["planHash"] == result["pulse"]?["planHash"])
        let execute = try #require(log.first { $0["path"]?.stringValue?.hasSuffix("/execute") == true }?["body"])
        #expect(execute["planHash"] == result["pulse"]?["planHash"])
        #expect(decision["reason"]?.stringValue?.hasPrefix("Approved by a human through pulse-assistant") == true)
        let plan = try #require(log.first { $0["path"] == "/api/actions/plan" }?["body"])
        #expect(plan["requestId"]?.stringValue?.hasPrefix("action:act-") == true, "the wire key: \(plan)")
        #expect(plan["reason"] == "kernel update")
        #expect(log.allSatisfy { $0["tokenPresent"] == true })
        await harness.stop()
    }

    @Test("a no sends no decision and no execute")
    func declined() async throws {
        let harness = try await PulseHarness()
        let peer = ScriptedPeer { _ in ScriptedPeer.decline }
        let id = try harness.id("api-01")
        let result = try await harness.session(level: .controlled, peer: peer).control(id, "reboot")
        #expect(result["state"] == "refused")
        #expect(result["code"] == "approval_declined")
        #expect(result["approval"] == "declined")
        #expect(result["message"]?.stringValue?.contains("No decision and no execute were sent to Pulse") == true)
        #expect(try await harness.fake.controlCalls() == ["GET /api/resources/\(id)", "POST /api/actions/plan"])
        await harness.stop()
    }

    @Test("an approval that outlasts Pulse's plan renews the plan before deciding, without asking again")
    func approvalOutlastsThePlan() async throws {
        let harness = try await PulseHarness()
        try await harness.fake.faults(["planTTLSeconds": 2])
        let peer = ScriptedPeer { _ in
            try? await Task.sleep(for: .seconds(3))
            return ScriptedPeer.approve
        }
        let id = try harness.id("api-01")
        let result = try await harness.session(level: .controlled, peer: peer).control(id, "reboot")
        #expect(result["state"] == "completed", "\(result)")
        #expect(peer.asked.count == 1)
        let first = try #require(result["pulse"]?["replaced"]?[0]?.stringValue)
        let renewed = try #require(result["pulse"]?["actionId"]?.stringValue)
        #expect(first != renewed)
        #expect(try await harness.fake.controlCalls() == [
            "GET /api/resources/\(id)", "POST /api/actions/plan", "POST /api/actions/\(first)/refresh",
            "POST /api/actions/\(renewed)/decision", "POST /api/actions/\(renewed)/execute",
        ])
        let states = try await harness.fake.actions().reduce(into: [String: String]()) { $0[$1["id"]?.stringValue ?? ""] = $1["state"]?.stringValue }
        #expect(states[first] == "expired")
        #expect(states[renewed] == "completed")
        await harness.stop()
    }

    @Test("a renewed plan that asks something different is put to the human again", arguments: [true, false])
    func changedPlanAsksAgain(secondAnswer: Bool) async throws {
        let harness = try await PulseHarness()
        try await harness.fake.faults(["planTTLSeconds": 2])
        let count = Mutex(0)
        let peer = ScriptedPeer { _ in
            let asked = count.withLock { value in
                value += 1
                return value
            }
            if asked == 1 {
                try? await Task.sleep(for: .seconds(3))
                return ScriptedPeer.approve
            }
            return secondAnswer ? ScriptedPeer.approve : ScriptedPeer.decline
        }
        let lifecycle = ChangingRefresh(inner: harness.actions)
        let id = try harness.id("api-01")
        let result = try await harness.session(level: .controlled, peer: peer, lifecycle: lifecycle).control(id, "reboot")
        #expect(peer.asked.count == 2)
        #expect(peer.asked.last?["message"]?.stringValue?.contains("(changed since the first plan)") == true)
        let calls = try await harness.fake.controlCalls()
        if secondAnswer {
            #expect(result["state"] == "completed", "\(result)")
            #expect(calls.filter { $0.hasSuffix("/execute") }.count == 1)
        } else {
            #expect(result["state"] == "refused")
            #expect(result["code"] == "approval_declined")
            #expect(calls.filter { $0.hasSuffix("/decision") || $0.hasSuffix("/execute") }.isEmpty, "\(calls)")
        }
        await harness.stop()
    }

    @Test("a client without elicitation is refused before anything reaches Pulse")
    func noElicitation() async throws {
        let harness = try await PulseHarness()
        let session = harness.session(level: .controlled, capabilities: [:])
        let result = try await session.control(try harness.id("api-01"), "reboot")
        #expect(result["state"] == "refused")
        #expect(result["code"] == "approval_unavailable")
        #expect(try await harness.fake.controlCalls().isEmpty)
        await harness.stop()
    }
}

/// Pulse, but every refreshed plan says it will do something else: a resource that changed meanwhile.
struct ChangingRefresh: PulseLifecycle {
    let inner: any PulseLifecycle

    func send(_ call: PulseCall) async -> PulseAnswer {
        let answer = await inner.send(call)
        guard case .refresh = call, case .answered(let status, let body?, let text) = answer,
              case .object(var detail) = body, case .object(var audit)? = detail["audit"], case .object(var plan)? = audit["plan"],
              case .object(var preflight)? = plan["preflight"]
        else { return answer }
        preflight["intendedChange"] = .string((preflight["intendedChange"]?.stringValue ?? "") + " (changed since the first plan)")
        plan["preflight"] = .object(preflight)
        audit["plan"] = .object(plan)
        detail["audit"] = .object(audit)
        return .answered(status: status, body: .object(detail), text: text)
    }
}
