import AssistantTools
import ControlEndpoints
import Fleet
import Foundation
import GRDB
import JSON
import JSONRPC
import Policy
import ResourceStore
import Synchronization
import Testing

/// A transport that records what would have been sent and answers as told.
final class FakeTransport: ControlTransport {
    enum Behaviour: Sendable {
        case complete
        case openFails(EndpointFailure.Kind)
        case answer(EndpointOutcome.State)
        /// Fails to open with `text` in its message (a hello error that quotes what it was sent).
        case openFailsSaying(String)
        /// Completes, with `text` in its progress, message and observed state (key and value).
        case echo(String)
        /// Completes once `gate` opens: an action held at its endpoint.
        case held(Gate)
    }

    /// Holds executions until ``open()``.
    final class Gate: Sendable {
        private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

        func open() {
            let waiters = state.withLock { state in
                state.open = true
                defer { state.waiters = [] }
                return state.waiters
            }
            for waiter in waiters { waiter.resume() }
        }

        func wait() async {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state in
                    if !state.open { state.waiters.append(continuation) }
                    return state.open
                }
                if now { continuation.resume() }
            }
        }
    }

    struct Sent: Sendable, Equatable {
        var address: EndpointAddress
        var token: String
        var request: EndpointRequest?
    }

    private let state = Mutex<(behaviour: Behaviour, opened: [Sent])>((.complete, []))

    init(_ behaviour: Behaviour = .complete) {
        state.withLock { $0.behaviour = behaviour }
    }

    var behaviour: Behaviour {
        get { state.withLock { $0.behaviour } }
        set { state.withLock { $0.behaviour = newValue } }
    }

    /// Every session opened, with the request it carried.
    var opened: [Sent] { state.withLock { $0.opened } }

    /// The requests that reached `execute`.
    var executed: [EndpointRequest] { opened.compactMap(\.request) }

    func open(_ address: EndpointAddress, token: String, deadline: Duration) async -> Result<any ControlSession, EndpointFailure> {
        let behaviour = state.withLock { state in
            state.opened.append(Sent(address: address, token: token))
            return state.behaviour
        }
        if case .openFails(let kind) = behaviour {
            return .failure(EndpointFailure(kind: kind, address: address, message: "could not connect to \(address): connection refused; nothing was sent"))
        }
        if case .openFailsSaying(let text) = behaviour {
            return .failure(EndpointFailure(kind: .helloFailed, address: address, message: "\(address) refused hello: bad token \(text); nothing was sent"))
        }
        return .success(Session(address: address, transport: self, behaviour: behaviour))
    }

    fileprivate func record(_ request: EndpointRequest) {
        state.withLock { $0.opened[$0.opened.count - 1].request = request }
    }

    private struct Session: ControlSession {
        var address: EndpointAddress
        var transport: FakeTransport
        var behaviour: Behaviour

        func execute(_ request: EndpointRequest, progress: @escaping @Sendable (EndpointProgress) -> Void) async -> EndpointOutcome {
            transport.record(request)
            if case .echo(let text) = behaviour {
                progress(EndpointProgress(progress: 1, total: 2, message: "applying \(request.action) with \(text)"))
                return EndpointOutcome(state: .completed, message: "applied; you sent \(text)", observed: .object(JSONObject([("note", .string("token \(text)")), (text, .array([.string(text)]))])))
            }
            progress(EndpointProgress(progress: 1, total: 2, message: "applying \(request.action)"))
            if case .held(let gate) = behaviour { await gate.wait() }
            switch behaviour {
            case .answer(let state) where state != .completed:
                return EndpointOutcome(state: state, message: "\(address) gave no answer within 30000 ms; the endpoint may still apply it")
            default:
                return EndpointOutcome(state: .completed, message: "\(request.action) applied to \(request.resourceId)", observed: ["powerState": "stopped"])
            }
        }
    }
}

/// A peer that answers `elicitation/create` as told and records what it was asked.
final class ApprovingPeer: Peer {
    private let answer: JSONValue
    private let state = Mutex<(asked: [JSONValue], notifications: [JSONRPC.Notification])>(([], []))

    init(answer: JSONValue) {
        self.answer = answer
    }

    var asked: [JSONValue] { state.withLock { $0.asked } }
    var notifications: [JSONRPC.Notification] { state.withLock { $0.notifications } }

    func notify(_ notification: JSONRPC.Notification) {
        state.withLock { $0.notifications.append(notification) }
    }

    func request(_ method: String, params: JSONValue?) async throws(JSONRPCError) -> JSONValue {
        guard method == "elicitation/create" else { throw .methodNotFound(method) }
        state.withLock { $0.asked.append(params ?? .null) }
        return answer
    }

    func cancel(_ id: RequestID) {}
}

/// A server at a chosen control level over the demo fleet (clock fixed at the fleet's present, ids in
/// sequence, the token in a fake environment), driven in process.
final class ControlHarness: Sendable {
    let transport: FakeTransport
    let server: MCPServer
    let peer: any Peer
    let stores: StoreProvider
    private let initialized = Mutex(false)

    static let token = "s3cret-token-value"

    /// The demo fleet, built once; each harness gets its own copy, so action rows never meet.
    static let template: ResourceStore = {
        do {
            return try EmbeddedDemo.makeStore(manifest: Fixtures.manifest)
        } catch {
            fatalError("the demo fleet must ingest: \(error)")
        }
    }()

    static func freshDemoStore() throws -> StoreProvider {
        let copy = try ResourceStore.inMemory()
        try template.database.backup(to: copy.database)
        return StoreProvider(copy, description: "demo (control tests)")
    }

    init(
        level: ControlLevel, transport: FakeTransport = FakeTransport(), peer: any Peer = RecordingPeer(),
        stores: StoreProvider? = nil, tokens: EndpointTokens? = nil, clock: ServerClock = .fixed(DemoFleet.defaultNow),
        requestStates: RequestStateSealer = .ephemeral()
    ) throws {
        self.transport = transport
        self.peer = peer
        self.stores = try stores ?? Self.freshDemoStore()
        let settings = ControlSettings(level: level, tokens: tokens ?? EndpointTokens(environment: [EndpointTokens.defaultVariable: Self.token]))
        server = AssistantServer.make(
            manifest: Fixtures.manifest, manifestSource: "tests", stores: self.stores,
            control: .init(settings: settings, clock: clock, ids: .sequential(), transport: transport, requestStates: requestStates)
        )
    }

    /// Initializes the session once, with `capabilities`.
    func initialize(capabilities: JSONValue = [:], version: String = "2025-11-25") async throws {
        guard initialized.withLock({ done in defer { done = true }; return !done }) else { return }
        _ = try await send("initialize", Fixtures.initializeParams(version: version, capabilities: capabilities)).get()
        server.receive(JSONRPC.Notification(method: "notifications/initialized"), from: peer)
    }

    /// The names `tools/list` shows.
    func listedTools() async throws -> [String] {
        try await initialize()
        return try await send("tools/list", [:]).get()["tools"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
    }

    /// Initializes (the first time) with `capabilities`, then calls `tool`; returns the `CallToolResult`.
    func call(
        _ tool: String, _ arguments: JSONValue, capabilities: JSONValue = [:], version: String = "2025-11-25",
        progressToken: JSONValue? = nil
    ) async throws -> JSONValue {
        try await initialize(capabilities: capabilities, version: version)
        var params: JSONObject = ["name": .string(tool), "arguments": arguments]
        params.setIfPresent("_meta", progressToken.map { ["progressToken": $0] })
        return try await send("tools/call", .object(params)).get()
    }

    func send(_ method: String, _ params: JSONValue) async -> Result<JSONValue, JSONRPCError> {
        switch server.receive(Request(id: .integer(1), method: method, params: params), from: peer) {
        case .now(let outcome): return outcome
        case .later(_, let work): return await work()
        case .inline(let work): return work()
        }
    }

    /// How many action rows the store holds.
    func actionCount() throws -> Int {
        try stores.store().database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM action") ?? 0 }
    }

    /// The structured content, checked against the tool's output schema.
    func structured(_ result: JSONValue, _ tool: String) throws -> JSONValue {
        let content = try #require(result["structuredContent"])
        let schema = try #require(server.registry.descriptors.first { $0.name == tool }?.outputSchema)
        let violations = SchemaValidator.violations(of: content, against: schema)
        #expect(violations.isEmpty, "\(tool): \(violations)")
        #expect(result["content"]?[0]?["text"]?.stringValue == content.description)
        return content
    }
}

extension JSONValue {
    subscript(index: Int) -> JSONValue? {
        guard let array = arrayValue, array.indices.contains(index) else { return nil }
        return array[index]
    }
}
