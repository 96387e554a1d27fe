import AssistantTools
import ControlEndpoints
import JSON
import Policy
import Testing

/// `control_resource` end to end in process, with a fake transport: the decision, the action row, the
/// dispatch and what the caller sees.
@Suite("control_resource")
struct ControlResourceToolTests {
    static let stopWeb: JSONValue = ["resourceId": "vm/pve-a/101", "action": "stop", "reason": "maintenance window"]

    @Test("read-only: not listed, and a call anyway is refused control_disabled and recorded")
    func readOnly() async throws {
        let harness = try ControlHarness(level: .readOnly)
        let listed = try await harness.listedTools()
        #expect(!listed.contains("control_resource"))
        #expect(listed.contains("explain_control") && listed.contains("get_action_status"))

        let result = try await harness.call("control_resource", Self.stopWeb)

        #expect(result["isError"] == true)
        let action = try harness.structured(result, "control_resource")
        #expect(action["state"] == "refused")
        #expect(action["code"] == "control_disabled")
        #expect(action["decision"]?["hint"]?.stringValue?.contains("--control-level") == true)
        #expect(harness.transport.opened.isEmpty)
        #expect(try harness.actionCount() == 1)
        let status = try await harness.call("get_action_status", ["actionId": action["actionId"] ?? .null])
        #expect(try harness.structured(status, "get_action_status")["state"] == "refused")
    }

    @Test("autonomous: a PVE guest is routed to its node's agent, which completes it")
    func routedToTheNodeAgent() async throws {
        let harness = try ControlHarness(level: .autonomous)
        let listed = try await harness.listedTools()
        #expect(listed.contains("control_resource"))

        let result = try await harness.call("control_resource", Self.stopWeb)

        #expect(result["isError"] == nil)
        let action = try harness.structured(result, "control_resource")
        #expect(action["state"] == "completed")
        #expect(action["actionId"] == "act-000001")
        #expect(action["approval"] == "not-needed")
        #expect(action["decision"]?["outcome"] == "route")
        #expect(action["decision"]?["controlClass"] == "augmentation-only")
        #expect(action["decision"]?["route"] == ["kind": "agent", "id": "pulse-agent/pve-a", "endpoint": "unix:/tmp/pulse-demo/pve-a.sock"])
        #expect(action["observed"] == ["powerState": "stopped"])
        #expect(action["createdAt"] == "2026-11-28T10:00:00.000Z")
        let sent = try #require(harness.transport.opened.first)
        #expect(sent.address == .unix(path: "/tmp/pulse-demo/pve-a.sock"))
        #expect(sent.token == ControlHarness.token)
        #expect(sent.request == EndpointRequest(
            actionId: "act-000001", resourceId: "vm/pve-a/101", action: "stop", idempotencyKey: "action:act-000001", deadlineMilliseconds: 30_000
        ))
        #expect(!result.description.contains(ControlHarness.token))
    }

    @Test("autonomous: each class gets its outcome", arguments: [
        // (resource, action, extra arguments, outcome, code, route id)
        ("container/docker-01/nginx", "restart", JSONObject(), "execute", nil, "pulse-agent/docker-01"),
        ("app/nas-01/nextcloud", "stop", JSONObject(), "execute", nil, "truenas/nas-01"),
        ("deployment/k8s-prod/shop/web", "scale", ["replicas": 3] as JSONObject, "execute", nil, "pulse-agent/k8s-prod"),
        ("vm/pve-d/144", "stop", JSONObject(), "refuse", "no_augmenting_agent", nil),
        ("vm/pve-b/117", "stop", JSONObject(), "refuse", "no_augmenting_agent", nil),
        ("vm/vc-01/vm-1001", "stop", JSONObject(), "refuse", "platform_not_supported", nil),
        ("pmg/pmg-01", "start", JSONObject(), "refuse", "action_not_applicable", nil),
        ("storage/pbs-01/main", "start", JSONObject(), "refuse", "action_not_applicable", nil),
        ("deployment/k8s-prod/shop/web", "scale", JSONObject(), "refuse", "action_not_applicable", nil),
        ("VM/pve-a/101", "stop", JSONObject(), "refuse", "resource_not_found", nil),
    ] as [(String, String, JSONObject, String, String?, String?)])
    func classes(resource: String, action: String, extra: JSONObject, outcome: String, code: String?, route: String?) async throws {
        let harness = try ControlHarness(level: .autonomous)
        var arguments: JSONObject = ["resourceId": .string(resource), "action": .string(action), "reason": "test"]
        for key in extra.keys { arguments[key] = extra[key] }

        let result = try await harness.call("control_resource", .object(arguments))

        let content = try harness.structured(result, "control_resource")
        #expect(content["decision"]?["outcome"]?.stringValue == outcome)
        #expect(content["code"]?.stringValue == code)
        #expect(content["decision"]?["route"]?["id"]?.stringValue == route)
        #expect((result["isError"] == true) == (code != nil))
        #expect(harness.transport.opened.count == (code == nil ? 1 : 0))
        #expect(try harness.actionCount() == 1)
        if code == "no_augmenting_agent" {
            let node = resource.split(separator: "/")[1]
            #expect(content["decision"]?["hint"]?.stringValue?.contains("'\(node)' (agent/\(node))") == true)
        }
    }

    @Test("scale sends its replica count to the endpoint")
    func scaleSendsReplicas() async throws {
        let harness = try ControlHarness(level: .autonomous)
        _ = try await harness.call("control_resource", ["resourceId": "deployment/k8s-prod/shop/web", "action": "scale", "replicas": 5, "reason": "load"])
        #expect(harness.transport.executed.first?.params == ["replicas": 5])
    }

    @Test("dryRun decides and records nothing, sends nothing")
    func dryRun() async throws {
        let harness = try ControlHarness(level: .autonomous)
        var arguments = try #require(Self.stopWeb.objectValue)
        arguments["dryRun"] = true

        let result = try await harness.call("control_resource", .object(arguments))

        let content = try harness.structured(result, "control_resource")
        #expect(content["state"] == "dry-run")
        #expect(content["actionId"] == nil)
        #expect(content["decision"]?["outcome"] == "route")
        #expect(harness.transport.opened.isEmpty)
        #expect(try harness.actionCount() == 0)
    }

    @Test("the same idempotency key returns the first action and never sends twice")
    func idempotency() async throws {
        let harness = try ControlHarness(level: .autonomous)
        var arguments = try #require(Self.stopWeb.objectValue)
        arguments["idempotencyKey"] = "maint-42"

        let first = try harness.structured(try await harness.call("control_resource", .object(arguments)), "control_resource")
        arguments["reason"] = "retrying after a timeout"
        let second = try harness.structured(try await harness.call("control_resource", .object(arguments)), "control_resource")

        #expect(harness.transport.executed.count == 1)
        #expect(harness.transport.executed.first?.idempotencyKey == "key:maint-42")
        #expect(second["actionId"] == first["actionId"])
        #expect(second["replayed"] == true)
        #expect(second["message"]?.stringValue?.hasPrefix("Replayed") == true)
        #expect(try harness.actionCount() == 1)

        arguments["action"] = "reboot"
        let other = try await harness.call("control_resource", .object(arguments))
        #expect(other["isError"] == true)
        #expect(other["content"]?[0]?["text"]?.stringValue?.contains("already used by action act-000001") == true)
        #expect(harness.transport.executed.count == 1)
    }

    @Test("endpoint faults end the action failed or unknown; a retry with the key never sends again", arguments: [
        (FakeTransport.Behaviour.openFails(.connectFailed), "failed", "endpoint_unreachable", 0),
        (.openFails(.timedOut), "failed", "endpoint_timeout", 0),
        (.openFails(.tokenRejected), "failed", "endpoint_token_rejected", 0),
        (.answer(.unknown), "unknown", "endpoint_no_answer", 1),
        (.answer(.failed), "failed", "endpoint_failed", 1),
    ])
    func faults(behaviour: FakeTransport.Behaviour, state: String, code: String, executions: Int) async throws {
        let harness = try ControlHarness(level: .autonomous, transport: FakeTransport(behaviour))
        var arguments = try #require(Self.stopWeb.objectValue)
        arguments["idempotencyKey"] = "fault-1"

        let result = try await harness.call("control_resource", .object(arguments))

        #expect(result["isError"] == true)
        let content = try harness.structured(result, "control_resource")
        #expect(content["state"]?.stringValue == state)
        #expect(content["code"]?.stringValue == code)
        #expect(content["dispatchedAt"] == (executions == 1 ? "2026-11-28T10:00:00.000Z" : nil))
        #expect(harness.transport.executed.count == executions)

        harness.transport.behaviour = .complete
        let retry = try harness.structured(try await harness.call("control_resource", .object(arguments)), "control_resource")
        #expect(retry["replayed"] == true)
        #expect(retry["state"]?.stringValue == state)
        #expect(harness.transport.opened.count == 1)
    }

    @Test("arguments naming a route, an endpoint, a level or an approval are refused, and nothing is decided or sent")
    func adversarialArguments() async throws {
        let harness = try ControlHarness(level: .readOnly)
        for (key, value) in [("endpoint", "tcp:10.0.0.1:22"), ("route", "api"), ("controlLevel", "autonomous"), ("approved", "true")] as [(String, JSONValue)] {
            var arguments = try #require(Self.stopWeb.objectValue)
            arguments[key] = value
            let result = try await harness.call("control_resource", .object(arguments))
            #expect(result["isError"] == true)
            #expect(result["content"]?[0]?["text"]?.stringValue?.contains(key) == true)
            #expect(result["structuredContent"] == nil)
        }
        let unknown = try await harness.call("control_resource", ["resourceId": "vm/pve-a/101", "action": "format", "reason": "x"])
        #expect(unknown["isError"] == true)
        #expect(harness.transport.opened.isEmpty)
        #expect(try harness.actionCount() == 0)
    }

    @Test("a call with a progressToken gets progress notifications while it runs")
    func progress() async throws {
        let peer = RecordingPeer()
        let harness = try ControlHarness(level: .autonomous, peer: peer)

        _ = try await harness.call("control_resource", Self.stopWeb, progressToken: "p-1")

        let progress = peer.notifications.filter { $0.method == "notifications/progress" }
        #expect(progress.count == 3)
        #expect(progress.map { $0.params?["progress"] } == [1, 2, 3])
        #expect(progress.allSatisfy { $0.params?["progressToken"] == "p-1" })
        #expect(progress.last?.params?["message"] == "applying stop")
    }

    @Test("a missing endpoint token fails the action before anything is sent")
    func missingToken() async throws {
        let transport = FakeTransport()
        let stores = try ControlHarness(level: .autonomous).stores
        let server = AssistantServer.make(
            manifest: Fixtures.manifest, manifestSource: "tests", stores: stores,
            control: .init(settings: ControlSettings(level: .autonomous), clock: .fixed(.init(secondsSince1970: 1_795_860_000)), ids: .sequential(prefix: "tok-"), transport: transport)
        )
        let client = InProcessClient(server)
        try await client.initialize()
        let result = try await client.callTool("control_resource", Self.stopWeb)
        #expect(result["isError"] == true)
        #expect(result["structuredContent"]?["code"] == "endpoint_token_missing")
        #expect(result["structuredContent"]?["message"]?.stringValue?.contains(EndpointTokens.defaultVariable) == true)
        #expect(transport.opened.isEmpty)
    }

    @Test("a caller's key equal to an earlier action's id (or its wire key) is a new request on the wire, never a replay")
    func keyNamespaces() async throws {
        let harness = try ControlHarness(level: .autonomous)
        _ = try await harness.call("control_resource", Self.stopWeb)
        for key in ["act-000001", "action:act-000001", "key:act-000001"] {
            var arguments = try #require(Self.stopWeb.objectValue)
            arguments["idempotencyKey"] = .string(key)
            let action = try harness.structured(try await harness.call("control_resource", .object(arguments)), "control_resource")
            #expect(action["replayed"] == false)
        }
        let keys = harness.transport.executed.map(\.idempotencyKey)
        #expect(keys == ["action:act-000001", "key:act-000001", "key:action:act-000001", "key:key:act-000001"])
        #expect(Set(keys).count == keys.count)
    }
}
