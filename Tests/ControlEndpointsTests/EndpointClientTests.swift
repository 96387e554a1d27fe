@testable import ControlEndpoints
import JSON
import Synchronization
import Testing

/// The real client against the reference endpoint (and scripted misbehaving ones), over Unix sockets and TCP.
struct EndpointClientTests {
    enum Transport: String, CaseIterable, Sendable {
        case unix, tcp
    }

    struct ActionCase: Sendable, CustomTestStringConvertible {
        var action: String
        var params: JSONObject = [:]
        var observed: JSONValue
        var testDescription: String { action }
    }

    static let actions: [ActionCase] = [
        ActionCase(action: "start", observed: ["powerState": "running"]),
        ActionCase(action: "stop", observed: ["powerState": "stopped"]),
        ActionCase(action: "shutdown", observed: ["powerState": "stopped"]),
        ActionCase(action: "reboot", observed: ["powerState": "running", "restarts": 1]),
        ActionCase(action: "restart", observed: ["powerState": "running", "restarts": 1]),
        ActionCase(action: "scale", params: ["replicas": 3], observed: ["replicas": 3]),
        ActionCase(action: "scale", params: ["replicas": 0], observed: ["replicas": 0]),
        ActionCase(action: "delete", observed: ["deleted": true]),
    ]

    // MARK: - Applying

    @Test(arguments: Transport.allCases, actions)
    func appliesEachActionToTheStateFile(_ transport: Transport, _ testCase: ActionCase) async throws {
        // Given a reference endpoint on a Unix socket or on TCP 127.0.0.1
        let sandbox = try Sandbox()
        let listen: EndpointAddress = transport == .unix ? sandbox.socket() : .tcp(host: "127.0.0.1", port: 0)
        let (endpoint, address) = try sandbox.endpoint(on: [listen])
        defer { endpoint.stop() }
        if case .tcp(_, let port) = address { #expect(port != 0) }

        // When the client sends the action
        let request = EndpointRequest.make(testCase.action, params: testCase.params, key: "key-1")
        let outcome = try await perform(request, at: address)

        // Then it completed, the endpoint says what it sees, and the state file holds one execution
        #expect(outcome.state == .completed)
        #expect(outcome.message.hasPrefix("\(address): \(testCase.action) applied to vm/pve-a/101"))
        #expect(outcome.observed == testCase.observed)
        #expect(try sandbox.resource("vm/pve-a/101") == testCase.observed)
        let executions = try sandbox.executions(forKey: "key-1")
        #expect(executions == [[
            "actionId": "action-key-1",
            "idempotencyKey": "key-1",
            "resourceId": "vm/pve-a/101",
            "action": .string(testCase.action),
            "params": .object(testCase.params),
        ]])
        #expect(try sandbox.state()["results"]?["key-1"]?["state"] == "completed")
    }

    static let refusals: [(String, JSONObject, String)] = [
        ("scale", [:], "scale needs params.replicas"),
        ("scale", ["replicas": -1], "got -1"),
        ("scale", ["replicas": "3"], "got \"3\""),
        ("scale", ["replicas": 2.5], "got 2.5"),
        ("explode", [:], "unknown action 'explode'"),
    ]

    @Test(arguments: refusals)
    func refusesWhatItCannotApplyAndRecordsNothing(_ action: String, _ params: JSONObject, _ phrase: String) async throws {
        let sandbox = try Sandbox()
        let (endpoint, address) = try sandbox.endpoint()
        defer { endpoint.stop() }

        let outcome = try await perform(.make(action, params: params, key: "key-1"), at: address)

        #expect(outcome.state == .failed)
        #expect(outcome.message.contains(phrase), "\(outcome.message)")
        #expect(outcome.message.contains("nothing was applied"))
        #expect(try sandbox.executions(forKey: "key-1").isEmpty)
        #expect(try sandbox.resource("vm/pve-a/101") == nil)
    }

    @Test func repeatsOfAKeyApplyOnceAndAnswerTheSame() async throws {
        let sandbox = try Sandbox()
        let (endpoint, address) = try sandbox.endpoint()
        defer { endpoint.stop() }

        let first = try await perform(.make("reboot", key: "key-1"), at: address)
        let again = try await perform(.make("reboot", key: "key-1"), at: address)
        let other = try await perform(.make("reboot", key: "key-2"), at: address)

        #expect(first.state == .completed)
        #expect(again == first)
        #expect(other.observed == ["powerState": "running", "restarts": 2])
        #expect(try sandbox.executions(forKey: "key-1").count == 1)
        #expect(try sandbox.state()["executions"]?.arrayValue?.count == 2)
    }

    @Test func refusesAKeyReusedForADifferentRequest() async throws {
        let sandbox = try Sandbox()
        let (endpoint, address) = try sandbox.endpoint()
        defer { endpoint.stop() }

        _ = try await perform(.make("stop", key: "key-1"), at: address)
        let reused = try await perform(.make("delete", key: "key-1"), at: address)

        #expect(reused.state == .failed)
        #expect(reused.message.contains("already used for a different request"))
        #expect(try sandbox.resource("vm/pve-a/101") == ["powerState": "stopped"])
    }

    @Test func servesManyConnectionsAtOnce() async throws {
        let sandbox = try Sandbox()
        let (endpoint, _) = try sandbox.endpoint(on: [sandbox.socket(), .tcp(host: "127.0.0.1", port: 0)])
        defer { endpoint.stop() }
        let addresses = endpoint.addresses
        #expect(addresses.count == 2)

        let outcomes = try await withThrowingTaskGroup(of: EndpointOutcome.self) { group in
            for index in 0..<16 {
                group.addTask {
                    try await perform(.make("reboot", resource: "vm/pve-a/\(index % 4)", key: "key-\(index)"), at: addresses[index % 2])
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }

        #expect(outcomes.allSatisfy { $0.state == .completed })
        #expect(try sandbox.state()["executions"]?.arrayValue?.count == 16)
        for index in 0..<4 {
            #expect(try sandbox.resource("vm/pve-a/\(index)")?["restarts"] == 4)
        }
    }

    // MARK: - Opening fails: nothing sent

    @Test func aWrongTokenIsRejectedWithoutNamingIt() async throws {
        let sandbox = try Sandbox()
        let (endpoint, address) = try sandbox.endpoint()
        defer { endpoint.stop() }

        let result = await EndpointClient().open(address, token: "wrong-secret", deadline: .seconds(5))

        let failure = try #require(result.failure)
        #expect(failure.kind == .tokenRejected)
        #expect(failure.message == "\(address) rejected the token; nothing was sent")
        #expect(!failure.message.contains("wrong-secret"))
        #expect(!failure.message.contains(Sandbox.token))
    }

    @Test func nothingListeningIsAFailureThatSentNothing() async throws {
        let sandbox = try Sandbox()
        // A TCP port that was just free: start an endpoint on port 0, note the port, stop it.
        let (endpoint, tcp) = try sandbox.endpoint(on: [.tcp(host: "127.0.0.1", port: 0)])
        endpoint.stop()
        let missing = sandbox.socket("absent")

        let refused = try #require(await EndpointClient().open(tcp, token: Sandbox.token, deadline: .seconds(2)).failure)
        let noFile = try #require(await EndpointClient().open(missing, token: Sandbox.token, deadline: .seconds(2)).failure)

        #expect(refused.kind == .connectFailed)
        #expect(refused.message == "could not connect to \(tcp): connection refused; nothing was sent")
        #expect(noFile.kind == .connectFailed)
        #expect(noFile.message == "could not connect to \(missing): no such socket file; nothing was sent")
    }

    @Test func aSilentEndpointTimesOutTheHello() async throws {
        // Given a socket that accepts connections (the backlog does) but never answers
        let sandbox = try Sandbox()
        let silent = try ListeningSocket.listen(on: sandbox.socket("silent"))
        defer { silent.close() }

        let started = ContinuousClock.now
        let failure = try #require(await EndpointClient().open(silent.address, token: Sandbox.token, deadline: .milliseconds(300)).failure)
        let elapsed = ContinuousClock.now - started

        #expect(failure.kind == .timedOut)
        #expect(failure.message == "\(silent.address) gave no answer to hello within 300 ms; nothing was sent")
        #expect(elapsed >= .milliseconds(300))
        #expect(elapsed < .seconds(3))
    }

    static let badHellos: [(String, [String], EndpointFailure.Kind, String)] = [
        ("garbage", ["hello yourself"], .helloFailed, "answered hello with a line that is not JSON"),
        ("an error", [#"{"jsonrpc":"2.0","id":1,"error":{"code":-32603,"message":"disk full"}}"#], .helloFailed, "refused hello: disk full (code -32603)"),
        ("a token error", [#"{"jsonrpc":"2.0","id":1,"error":{"code":-32001,"message":"no"}}"#], .tokenRejected, "rejected the token"),
        ("another id", [#"{"jsonrpc":"2.0","id":9,"result":{}}"#], .helloFailed, "something other than its response"),
        ("a string result", [#"{"jsonrpc":"2.0","id":1,"result":"ok"}"#], .helloFailed, "answered hello with string, not an object"),
        ("a close", [], .helloFailed, "closed the connection during hello"),
        ("an echo of the token", [#"{"jsonrpc":"2.0","id":1,"error":{"code":1,"message":"bad token test-token-0123456789"}}"#], .helloFailed, "bad token [token]"),
    ]

    @Test(arguments: badHellos)
    func aBadAnswerToHelloIsAFailure(_ name: String, _ reply: [String], _ kind: EndpointFailure.Kind, _ phrase: String) async throws {
        let sandbox = try Sandbox()
        let scripted = try ScriptedEndpoint(at: sandbox.socket(), replies: [reply])

        let failure = try #require(await EndpointClient().open(scripted.address, token: Sandbox.token, deadline: .seconds(5)).failure)

        #expect(failure.kind == kind)
        #expect(failure.message.hasPrefix("\(scripted.address) "))
        #expect(failure.message.contains(phrase), "\(failure.message)")
        #expect(failure.message.hasSuffix("; nothing was sent"))
        #expect(!failure.message.contains(Sandbox.token))
    }

    // MARK: - After sending: answers that do not conform

    static let badAnswers: [(String, [String], EndpointOutcome.State, String)] = [
        ("an unknown state", [#"{"jsonrpc":"2.0","id":2,"result":{"state":"pending","message":"hm"}}"#], .unknown, "a state of \"pending\""),
        ("a string result", [#"{"jsonrpc":"2.0","id":2,"result":"done"}"#], .unknown, "string result"),
        ("a numeric message", [#"{"jsonrpc":"2.0","id":2,"result":{"state":"completed","message":7}}"#], .unknown, "integer message"),
        ("another id", [#"{"jsonrpc":"2.0","id":3,"result":{"state":"completed"}}"#], .unknown, "not the action's response"),
        ("a request", [#"{"jsonrpc":"2.0","id":3,"method":"ping"}"#], .unknown, "not the action's response"),
        ("not JSON-RPC", [#"{"id":2,"result":{}}"#], .unknown, "not JSON-RPC"),
        ("a close", [], .unknown, "closed the connection before answering"),
        ("an error", [#"{"jsonrpc":"2.0","id":2,"error":{"code":-32602,"message":"Invalid params: no"}}"#], .failed, "refused the action: Invalid params: no (code -32602); it was not applied"),
        ("no message", [#"{"jsonrpc":"2.0","id":2,"result":{"state":"completed","observed":null}}"#], .completed, "the action completed"),
    ]

    @Test(arguments: badAnswers)
    func anAnswerThatDoesNotConformLeavesTheActionUnknown(_ name: String, _ reply: [String], _ state: EndpointOutcome.State, _ phrase: String) async throws {
        let sandbox = try Sandbox()
        let scripted = try ScriptedEndpoint(at: sandbox.socket(), replies: [[ScriptedEndpoint.helloOK], reply])

        let outcome = try await perform(.make("stop", key: "key-1"), at: scripted.address)

        #expect(outcome.state == state)
        #expect(outcome.message.contains(phrase), "\(outcome.message)")
        #expect(outcome.message.contains("\(scripted.address)"))
        if state == .unknown { #expect(outcome.message.hasSuffix("the action may have been applied")) }
        #expect(outcome.observed == nil)
    }

    @Test func aSessionCarriesOneAction() async throws {
        let sandbox = try Sandbox()
        let (endpoint, address) = try sandbox.endpoint()
        defer { endpoint.stop() }

        let session = try await EndpointClient().open(address, token: Sandbox.token, deadline: .seconds(5)).get()
        let first = await session.execute(.make("start", key: "key-1"), progress: { _ in })
        let second = await session.execute(.make("stop", key: "key-2"), progress: { _ in })

        #expect(first.state == .completed)
        #expect(second.state == .failed)
        #expect(second.message == "the session to \(address) was already used or closed; nothing was sent")
        #expect(try sandbox.executions(forKey: "key-2").isEmpty)
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let failure) = self { failure } else { nil }
    }
}
