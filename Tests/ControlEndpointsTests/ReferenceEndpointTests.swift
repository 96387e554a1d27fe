@testable import ControlEndpoints
import Foundation
import JSON
import Testing

/// The reference endpoint at the wire: bad lines, the hello rule, its socket files and its state file.
struct ReferenceEndpointTests {
    struct BadLine: Sendable, CustomTestStringConvertible {
        var name: String
        var line: String
        /// Whether to say hello first.
        var afterHello = false
        var code: Int
        var id: JSONValue = .null
        var testDescription: String { name }
    }

    static let execute = #""method":"control.execute""#
    static let goodParams = #"{"actionId":"a","resourceId":"vm/1","action":"stop","params":{},"idempotencyKey":"k","deadlineMs":1000}"#

    static let badLines: [BadLine] = [
        BadLine(name: "not JSON", line: "stop the vm please", code: -32700),
        BadLine(name: "truncated JSON", line: #"{"jsonrpc":"2.0","id":1,"method":"hel"#, code: -32700),
        BadLine(name: "a batch", line: "[1,2]", code: -32600),
        BadLine(name: "a bare number", line: "42", code: -32600),
        BadLine(name: "no method", line: #"{"jsonrpc":"2.0","id":4}"#, code: -32600, id: 4),
        BadLine(name: "wrong version", line: #"{"jsonrpc":"1.0","id":5,"method":"hello"}"#, code: -32600, id: 5),
        BadLine(name: "unknown method", line: #"{"jsonrpc":"2.0","id":6,"method":"control.nuke"}"#, code: -32601, id: 6),
        BadLine(name: "execute before hello", line: #"{"jsonrpc":"2.0","id":7,\#(execute),"params":\#(goodParams)}"#, code: -32000, id: 7),
        BadLine(name: "hello without a token", line: #"{"jsonrpc":"2.0","id":8,"method":"hello","params":{}}"#, code: -32602, id: 8),
        BadLine(name: "hello with a numeric token", line: #"{"jsonrpc":"2.0","id":9,"method":"hello","params":{"token":1}}"#, code: -32602, id: 9),
        BadLine(name: "execute without params", line: #"{"jsonrpc":"2.0","id":10,\#(execute)}"#, afterHello: true, code: -32602, id: 10),
        BadLine(
            name: "execute without deadlineMs",
            line: #"{"jsonrpc":"2.0","id":11,\#(execute),"params":{"actionId":"a","resourceId":"r","action":"stop","params":{},"idempotencyKey":"k"}}"#,
            afterHello: true, code: -32602, id: 11
        ),
        BadLine(
            name: "execute with a fractional deadline",
            line: #"{"jsonrpc":"2.0","id":12,\#(execute),"params":{"actionId":"a","resourceId":"r","action":"stop","params":{},"idempotencyKey":"k","deadlineMs":1.5}}"#,
            afterHello: true, code: -32602, id: 12
        ),
        BadLine(
            name: "execute with params not an object",
            line: #"{"jsonrpc":"2.0","id":13,\#(execute),"params":{"actionId":"a","resourceId":"r","action":"stop","params":[],"idempotencyKey":"k","deadlineMs":1}}"#,
            afterHello: true, code: -32602, id: 13
        ),
        BadLine(
            name: "execute with an empty key",
            line: #"{"jsonrpc":"2.0","id":14,\#(execute),"params":{"actionId":"a","resourceId":"r","action":"stop","params":{},"idempotencyKey":"","deadlineMs":1}}"#,
            afterHello: true, code: -32602, id: 14
        ),
        BadLine(name: "a line over 1 MiB", line: "\"" + String(repeating: "x", count: 1024 * 1024 + 10) + "\"", code: -32600),
    ]

    @Test(arguments: badLines)
    func aBadLineGetsAnErrorAndTheConnectionGoesOn(_ testCase: BadLine) throws {
        let sandbox = try Sandbox()
        let (endpoint, address) = try sandbox.endpoint()
        defer { endpoint.stop() }
        let connection = try RawConnection(address)
        if testCase.afterHello { #expect(try connection.hello()?["result"] == [:]) }

        connection.send(testCase.line)
        let answer = try #require(try connection.receive())

        #expect(answer["error"]?["code"] == JSONValue(testCase.code))
        #expect(answer["id"] == testCase.id)
        #expect(try sandbox.state()["executions"] == [])
        // The same connection still works
        #expect(try connection.hello()?["result"] == [:])
        let applied = try connection.call(2, "control.execute", try JSONParser.parse(Self.goodParams))
        #expect(applied?["result"]?["state"] == "completed")
    }

    @Test func notificationsAndStrayResponsesGetNoAnswer() throws {
        let sandbox = try Sandbox()
        let (endpoint, address) = try sandbox.endpoint()
        defer { endpoint.stop() }
        let connection = try RawConnection(address)

        connection.send(#"{"jsonrpc":"2.0","method":"notifications/whatever"}"#)
        connection.send(#"{"jsonrpc":"2.0","id":99,"result":{}}"#)
        connection.send(#"{"jsonrpc":"2.0","id":98,"result":{},"error":{"code":1,"message":"both"}}"#)

        #expect(try connection.hello()?["id"] == 1)
    }

    @Test func aWrongTokenIsAnsweredThenTheConnectionCloses() throws {
        let sandbox = try Sandbox()
        let (endpoint, address) = try sandbox.endpoint()
        defer { endpoint.stop() }
        let connection = try RawConnection(address)

        let answer = try connection.hello("nope")

        #expect(answer?["error"]?["code"] == JSONValue(ControlProtocol.tokenRejectedCode))
        #expect(answer?["error"]?["message"] == "token rejected")
        #expect(connection.socket.readLine(deadline: .after(.seconds(5))) == .closed)
    }

    // MARK: - Socket files

    @Test func createsItsSocketFilePrivateAndRemovesItOnStop() throws {
        let sandbox = try Sandbox()
        let (endpoint, address) = try sandbox.endpoint()
        guard case .unix(let path) = address else { throw SandboxError(message: "not unix") }

        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect(attributes[.type] as? FileAttributeType == .typeSocket)
        #expect(attributes[.posixPermissions] as? Int == 0o600)
        endpoint.stop()

        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(endpoint.addresses.isEmpty)
        endpoint.stop()
    }

    @Test func replacesAStaleSocketFile() async throws {
        // Given a socket file nobody listens on (a listener whose file outlived it)
        let sandbox = try Sandbox()
        guard case .unix(let path) = sandbox.socket() else { throw SandboxError(message: "not unix") }
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        let address = try SocketAddress.unix(path: path)
        #expect(address.withSocketAddress { bind(descriptor, $0, $1) } == 0)
        close(descriptor)
        #expect(FileManager.default.fileExists(atPath: path))

        // When an endpoint starts there, then it serves
        let (endpoint, bound) = try sandbox.endpoint()
        defer { endpoint.stop() }
        #expect(try await perform(.make("start", key: "k"), at: bound).state == .completed)
    }

    @Test func leavesALiveSocketAndOtherFilesAlone() throws {
        let sandbox = try Sandbox()
        let (live, address) = try sandbox.endpoint()
        defer { live.stop() }
        let regular = sandbox.directory + "/regular.sock"
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: regular))

        let second = try #require(throws: ReferenceEndpointError.self) { try sandbox.endpoint(on: [address]) }
        let notSocket = try #require(throws: ReferenceEndpointError.self) { try sandbox.endpoint(on: [.unix(path: regular)]) }

        #expect(second.message == "cannot listen on \(address): another endpoint is listening there")
        #expect(notSocket.message.contains("exists and is not a socket"))
        #expect(try String(contentsOfFile: regular, encoding: .utf8) == "keep me")
        #expect(try RawConnection(address).hello()?["result"] == [:])
    }

    @Test func aFailedStartLeavesNothingListening() throws {
        let sandbox = try Sandbox()
        let regular = sandbox.directory + "/regular.sock"
        try Data().write(to: URL(fileURLWithPath: regular))
        let first = sandbox.socket("first")
        guard case .unix(let firstPath) = first else { throw SandboxError(message: "not unix") }

        #expect(throws: ReferenceEndpointError.self) { try sandbox.endpoint(on: [first, .unix(path: regular)]) }

        #expect(!FileManager.default.fileExists(atPath: firstPath))
    }

    // MARK: - State file

    @Test func createsAMissingStateFileAndRefusesAMalformedOne() throws {
        let sandbox = try Sandbox()
        let (endpoint, _) = try sandbox.endpoint()
        endpoint.stop()
        #expect(try sandbox.state() == ["resources": [:], "executions": [], "results": [:]])

        try Data(#"{"resources": []}"#.utf8).write(to: URL(fileURLWithPath: sandbox.statePath))
        let error = try #require(throws: ReferenceEndpointError.self) { try sandbox.endpoint(on: [sandbox.socket("other")]) }
        #expect(error.message.contains("\"resources\" has the wrong type (array)"))
    }

    @Test func keepsWhatIsAlreadyInTheStateFile() async throws {
        let sandbox = try Sandbox()
        let seeded: JSONValue = [
            "resources": ["deploy/k8s/web": ["replicas": 2, "owner": "team-a"]],
            "executions": [],
            "results": [:],
        ]
        try Data(JSONSerializer.pretty(seeded).utf8).write(to: URL(fileURLWithPath: sandbox.statePath))
        let (endpoint, address) = try sandbox.endpoint()
        defer { endpoint.stop() }

        let outcome = try await perform(.make("scale", resource: "deploy/k8s/web", params: ["replicas": 5], key: "k"), at: address)

        #expect(outcome.observed == ["replicas": 5, "owner": "team-a"])
        #expect(try sandbox.resource("deploy/k8s/web") == ["replicas": 5, "owner": "team-a"])
    }

    @Test func answersAreDeterministic() async throws {
        // Two fresh endpoints given the same requests answer byte for byte the same
        var transcripts: [[EndpointOutcome]] = []
        for _ in 0..<2 {
            let sandbox = try Sandbox()
            let (endpoint, address) = try sandbox.endpoint()
            defer { endpoint.stop() }
            var outcomes: [EndpointOutcome] = []
            for (index, action) in ["start", "reboot", "scale", "delete", "reboot"].enumerated() {
                let params: JSONObject = action == "scale" ? ["replicas": 4] : [:]
                var outcome = try await perform(.make(action, params: params, key: "k\(index)"), at: address)
                outcome.message = outcome.message.replacing("\(address)", with: "ADDRESS")
                outcomes.append(outcome)
            }
            transcripts.append(outcomes)
        }
        #expect(transcripts[0] == transcripts[1])
        #expect(transcripts[0].last?.observed == ["powerState": "running", "restarts": 2, "replicas": 4, "deleted": true])
    }
}
