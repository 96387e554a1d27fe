import AssistantTools
import AuditLog
import ControlEndpoints
import JSON
import JSONRPC
import Policy
import ResourceStore
import Testing

/// No endpoint token reaches a tool answer, a progress notification, an action row or the audit, whoever
/// writes it: an endpoint that echoes what it was sent, or a caller that pastes one into an argument.
@Suite("secret masking")
struct SecretMaskingTests {
    /// The token sent to pve-a's agent, and another endpoint's token the server also knows.
    static let sent = ControlHarness.token
    static let other = "other-endpoint-secret-42"
    static let tokens = EndpointTokens(
        byEndpoint: ["truenas/nas-01": .environment("TRUENAS_TOKEN")],
        environment: [EndpointTokens.defaultVariable: sent, "TRUENAS_TOKEN": other]
    )

    /// Everything the call left behind: its answer, the notifications, the action rows and the audit.
    static func leftBehind(_ harness: ControlHarness, _ result: JSONValue, _ peer: RecordingPeer) throws -> String {
        let store = try harness.stores.store()
        let rows = try store.database.read { db in try String.fetchAll(db, sql: "SELECT message || ' ' || coalesce(observed, '') || ' ' || reason || ' ' || request FROM action") }
        let audit = try store.auditRecords(AuditFilter(limit: 100)).map(\.arguments)
        return ([result.description] + peer.notifications.map { "\($0.params ?? .null)" } + rows + audit).joined(separator: "\n")
    }

    @Test("an endpoint's message, observed state and progress are masked against every known token", arguments: [sent, other, "\(sent) and \(other)"])
    func endpointEcho(echo: String) async throws {
        let peer = RecordingPeer()
        let harness = try ControlHarness(level: .autonomous, transport: FakeTransport(.echo(echo)), peer: peer, tokens: Self.tokens)

        let result = try await harness.call("control_resource", ControlResourceToolTests.stopWeb, progressToken: "p")

        let action = try harness.structured(result, "control_resource")
        #expect(action["state"] == "completed")
        #expect(action["message"]?.stringValue?.contains("you sent [token]") == true)
        #expect(action["observed"]?.objectValue?.keys.contains { $0.contains("[token]") } == true)
        let all = try Self.leftBehind(harness, result, peer)
        #expect(!all.contains(Self.sent) && !all.contains(Self.other), "\(all)")
        #expect(peer.notifications.contains { $0.params?["message"]?.stringValue?.contains("with [token]") == true })
    }

    @Test("a failed hello that quotes a token is masked")
    func helloEcho() async throws {
        let peer = RecordingPeer()
        let harness = try ControlHarness(level: .autonomous, transport: FakeTransport(.openFailsSaying(Self.other)), peer: peer, tokens: Self.tokens)

        let result = try await harness.call("control_resource", ControlResourceToolTests.stopWeb)

        #expect(try harness.structured(result, "control_resource")["state"] == "failed")
        #expect(!(try Self.leftBehind(harness, result, peer)).contains(Self.other))
    }

    @Test("a token pasted into reason or text is masked in the action and the audit; in a key it is refused")
    func callerPaste() async throws {
        let peer = RecordingPeer()
        let harness = try ControlHarness(level: .autonomous, peer: peer, tokens: Self.tokens)

        let stop = try await harness.call("control_resource", ["resourceId": "vm/pve-a/101", "action": "stop", "reason": .string("token is \(Self.other)")])
        let search = try await harness.call("search_resources", ["text": .string(Self.sent)])
        let keyed = try await harness.call("control_resource", ["resourceId": "vm/pve-a/101", "action": "stop", "reason": "r", "idempotencyKey": .string("k-\(Self.sent)")])

        #expect(try harness.structured(stop, "control_resource")["reason"] == "token is [token]")
        #expect(keyed["isError"] == true)
        #expect(keyed["content"]?[0]?["text"]?.stringValue?.contains("endpoint token") == true)
        #expect(try harness.actionCount() == 1)
        let all = try Self.leftBehind(harness, stop, peer) + search.description
        #expect(!all.contains(Self.sent) && !all.contains(Self.other), "\(all)")
    }
}
