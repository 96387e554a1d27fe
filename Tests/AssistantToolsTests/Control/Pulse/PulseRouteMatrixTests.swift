import AssistantTools
import JSON
import Policy
import Testing

/// Every class of the seed's matrix × every control level, against the fake Pulse: the matrix decides
/// first (nothing it refuses reaches Pulse, not even a read), and Pulse's live capabilities narrow
/// what it allows.
@Suite("pulse route: class × level", .serialized, .enabled(if: FakePulse.isAvailable, "needs python3 for the fake Pulse"))
struct PulseRouteMatrixTests {
    enum Expected: Sendable, CustomStringConvertible {
        /// Completed, with one read, plan, decision and execute.
        case executed
        /// Refused by our policy: the fake's log shows no call at all.
        case refusedBefore(String)
        /// Refused because of what Pulse says: its read, no plan, no execute.
        case refusedByPulse(String)

        var description: String {
            switch self {
            case .executed: "executed"
            case .refusedBefore(let code): "refused before Pulse (\(code))"
            case .refusedByPulse(let code): "refused by Pulse (\(code))"
            }
        }
    }

    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var action: String
        var why: String
        /// Under controlled and autonomous (read-only refuses everything it can act on: control_disabled).
        var expected: Expected
        /// What read-only says, when the policy refuses before the level matters.
        var readOnly: Expected = .refusedBefore("control_disabled")

        var description: String { "\(action) \(name) (\(why))" }
    }

    static let cases: [Case] = [
        Case(name: "api-01", action: "reboot", why: "Proxmox VE guest, node with an agent", expected: .executed),
        Case(name: "4242", action: "shutdown", why: "Proxmox VE guest, node agent without commandsEnabled: Pulse runs it", expected: .executed),
        Case(name: "api-19", action: "start", why: "stopped Proxmox VE guest", expected: .executed),
        Case(name: "pve01", action: "install_os_updates", why: "Proxmox VE node through its own agent", expected: .executed),
        Case(name: "api-02", action: "reboot", why: "Proxmox VE guest, node without an agent", expected: .refusedBefore("no_augmenting_agent")),
        Case(name: "grafana-01", action: "restart", why: "Docker container", expected: .executed),
        Case(name: "grafana-05", action: "update", why: "Docker container with an image update", expected: .executed),
        Case(name: "grafana-02", action: "update", why: "Docker container without one", expected: .refusedByPulse("capability_unavailable")),
        Case(name: "nginx-10", action: "start", why: "stopped Docker container", expected: .executed),
        Case(name: "srv-01", action: "clean_package_cache", why: "agent host", expected: .executed),
        Case(name: "srv-03", action: "reboot", why: "agent host: Pulse has no reboot", expected: .refusedByPulse("capability_unavailable")),
        Case(name: "docker-01", action: "install_os_updates", why: "Docker host without the agent module", expected: .refusedByPulse("capability_unavailable")),
        Case(name: "pod-01", action: "delete", why: "Kubernetes: supported in the matrix, nothing in Pulse", expected: .refusedByPulse("capability_unavailable")),
        Case(name: "deploy-01", action: "restart", why: "Kubernetes deployment", expected: .refusedByPulse("capability_unavailable")),
        Case(name: "plex-01", action: "restart", why: "TrueNAS app: Pulse's readiness unsupported_handler", expected: .refusedByPulse("capability_unavailable")),
        Case(name: "nas-01", action: "reboot", why: "TrueNAS system", expected: .refusedByPulse("capability_unavailable")),
        Case(name: "pbs-01", action: "reboot", why: "PBS, read-only: no action applies", expected: .refusedBefore("action_not_applicable"),
             readOnly: .refusedBefore("action_not_applicable")),
        Case(name: "legacy-01", action: "stop", why: "VMware, admitted only", expected: .refusedBefore("platform_not_supported"),
             readOnly: .refusedBefore("platform_not_supported")),
        Case(name: "api-01", action: "start", why: "a running guest", expected: .refusedBefore("action_not_applicable"),
             readOnly: .refusedBefore("action_not_applicable")),
    ]

    @Test(arguments: ControlLevel.allCases)
    func everyClassAtEveryLevel(_ level: ControlLevel) async throws {
        let harness = try await PulseHarness()
        let peer = ScriptedPeer.approving()
        let session = harness.session(level: level, peer: peer)
        var asked = 0
        for (index, item) in Self.cases.enumerated() {
            try await harness.fake.clearLog()
            let id = try harness.id(item.name)
            let result = try await session.control(id, item.action, key: "matrix-\(level.rawValue)-\(index)")
            let calls = try await harness.fake.controlCalls()
            let expected = level == .readOnly ? item.readOnly : item.expected
            let context = "\(item) at \(level.rawValue): \(result["message"]?.stringValue ?? "")"
            switch expected {
            case .executed:
                #expect(result["state"] == "completed", "\(context)")
                #expect(result["decision"]?["route"]?["kind"] == "pulse", "\(context)")
                #expect(calls.filter { $0 == "GET /api/resources/\(id)" }.count == 1, "\(context): \(calls)")
                #expect(calls.filter { $0 == "POST /api/actions/plan" }.count == 1, "\(context): \(calls)")
                #expect(calls.filter { $0.hasSuffix("/decision") }.count == 1, "\(context): \(calls)")
                #expect(calls.filter { $0.hasSuffix("/execute") }.count == 1, "\(context): \(calls)")
                #expect(result["pulse"]?["state"] == "completed", "\(context)")
                #expect(result["pulse"]?["actionId"]?.stringValue?.hasPrefix("act_") == true, "\(context)")
                #expect(result["pulse"]?["verification"]?["status"] == "confirmed", "\(context)")
                #expect(result["approval"]?.stringValue == (level == .controlled ? "granted" : "not-needed"), "\(context)")
                if level == .controlled { asked += 1 }
            case .refusedBefore(let code):
                #expect(result["state"] == "refused", "\(context)")
                #expect(result["code"]?.stringValue == code, "\(context)")
                #expect(calls.isEmpty, "\(context): nothing may reach Pulse, got \(calls)")
            case .refusedByPulse(let code):
                #expect(result["state"] == "refused", "\(context)")
                #expect(result["code"]?.stringValue == code, "\(context)")
                #expect(calls == ["GET /api/resources/\(id)"], "\(context): \(calls)")
                // Refused before Pulse planned it: the human was never asked, and the row says so.
                #expect(result["approval"]?.stringValue == (level == .controlled ? "not-asked" : "not-needed"), "\(context)")
            }
            #expect(!result.description.contains(PulseHarness.token), "\(context)")
        }
        #expect(peer.asked.count == asked, "a human is asked once per action Pulse planned")
        await harness.stop()
    }

    @Test("Pulse's own reason is quoted: unsupported_handler for a TrueNAS app")
    func pulseReasonIsQuoted() async throws {
        let harness = try await PulseHarness()
        let result = try await harness.session(level: .autonomous).control(try harness.id("plex-01"), "stop")
        #expect(result["code"] == "capability_unavailable")
        #expect(result["message"]?.stringValue?.contains("unsupported_handler") == true, "\(result)")
        await harness.stop()
    }

    @Test("without a Pulse server configured, a synced resource is refused before anything is sent")
    func noPulseServer() async throws {
        let harness = try await PulseHarness()
        let result = try await harness.session(level: .autonomous, pulse: false).control(try harness.id("api-01"), "reboot")
        #expect(result["state"] == "refused")
        #expect(result["code"] == "executor_unavailable")
        #expect(try await harness.fake.controlCalls().isEmpty)
        await harness.stop()
    }
}
