@testable import AssistantTools
import JSON
import JSONRPC
import Synchronization
import Testing

@Suite("The sealed requestState")
struct RequestStateTests {
    static let client = ClientInfo(name: "tests", version: "1.0", capabilities: [:])
    static let arguments: JSONValue = ["resourceId": "vm/pve-a/101", "action": "stop", "reason": "x"]

    /// States under a fixed secret and a clock the test moves.
    final class Time: Sendable {
        let milliseconds = Mutex<Int64>(1_800_000_000_000)
        func advance(_ delta: Int64) { milliseconds.withLock { $0 += delta } }
    }

    final class Fixture: Sendable {
        let time = Time()
        let states: ApprovalStates

        init(secret: [UInt8] = Array(repeating: 7, count: 32)) {
            let time = self.time
            states = ApprovalStates(sealer: RequestStateSealer(secret: secret), clock: ServerClock { time.milliseconds.withLock { $0 } })
        }

        func mint() throws -> String {
            try states.mint(tool: "control_resource", arguments: RequestStateTests.arguments, client: RequestStateTests.client)
        }

        func verify(_ token: String, tool: String = "control_resource", arguments: JSONValue = RequestStateTests.arguments,
                    client: ClientInfo = RequestStateTests.client) -> ApprovalStates.Rejection? {
            switch states.verify(token, tool: tool, arguments: arguments, client: client) {
            case .success: nil
            case .failure(let why): why
            }
        }
    }

    @Test("a state opens for the very call it was minted for, with the arguments in any key order")
    func roundTrip() throws {
        let fixture = Fixture()
        let token = try fixture.mint()
        #expect(fixture.verify(token) == nil)
        #expect(fixture.verify(token, arguments: ["reason": "x", "action": "stop", "resourceId": "vm/pve-a/101"]) == nil)
    }

    @Test("each check refuses with its reason")
    func rejections() throws {
        let fixture = Fixture()
        let token = try fixture.mint()
        #expect(fixture.verify(token, tool: "explain_control") == .otherTool)
        #expect(fixture.verify(token, arguments: ["resourceId": "vm/pve-a/102", "action": "stop", "reason": "x"]) == .otherArguments)
        #expect(fixture.verify(token, client: ClientInfo(name: "other", version: "1.0", capabilities: [:])) == .otherClient)
        var bytes = Array(token.utf8)
        bytes[bytes.count / 2] = bytes[bytes.count / 2] == 65 ? 66 : 65
        #expect(fixture.verify(String(decoding: bytes, as: UTF8.self)) == .seal)
        #expect(fixture.verify(token + "A") == .seal)
        #expect(fixture.verify("") == .seal)
        // Another process's key: refused.
        #expect(Fixture(secret: Array(repeating: 8, count: 32)).verify(token) == .seal)
    }

    @Test("a state expires after 600 s")
    func expiry() throws {
        let fixture = Fixture()
        let token = try fixture.mint()
        fixture.time.advance(599_000)
        #expect(fixture.verify(token) == nil)
        fixture.time.advance(1_000)
        #expect(fixture.verify(token) == .expired)
    }

    @Test("an approval is redeemed once")
    func singleUse() throws {
        let fixture = Fixture()
        let token = try fixture.mint()
        guard case .success(let id) = fixture.states.verify(token, tool: "control_resource", arguments: Self.arguments, client: Self.client) else {
            Issue.record("the state did not open")
            return
        }
        #expect(fixture.states.redeem(id))
        #expect(!fixture.states.redeem(id))
        #expect(fixture.verify(token) == .used)
        // A fresh state is a fresh approval.
        #expect(fixture.verify(try fixture.mint()) == nil)
    }

    @Test("the same secret and sequence seal the same bytes (replays are exact); states never repeat")
    func deterministic() throws {
        let one = Fixture(), two = Fixture()
        let first = try one.mint()
        #expect(first == (try two.mint()))
        #expect(first != (try one.mint()))
    }
}
