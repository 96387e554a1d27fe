import AssistantTools
import ControlEndpoints
import Fleet
import Foundation
import GRDB
import JSON
import JSONRPC
import Logging
import Policy
import PulseClient
import ResourceStore
import Synchronization
import Testing

/// A fake Pulse, a store synced from it once, and servers over that store whose `pulse` route goes
/// to the fake: what every test of the route starts from. The sync's own calls are put behind the
/// log's mark, so a test reads only what control sent.
final class PulseHarness: Sendable {
    static let token = "pulse-tok-3f9a1c7e5d2b8a60c4"

    /// Short deadlines, so that timeouts and polling take seconds in tests.
    static let fast = PulseTiming(executeDeadlineSeconds: 3, pollIntervalSeconds: 0.2, pollGraceSeconds: 1.5, requestAllowanceSeconds: 5)

    let fake: FakePulse
    let client: PulseHTTPClient
    let actions: PulseActions
    let stores: StoreProvider
    let clock: MovableClock
    let timing: PulseTiming

    /// Starts the fake with `arguments`, syncs it into a store (in memory, or the file at `storePath`).
    init(timing: PulseTiming = PulseHarness.fast, storePath: String? = nil, arguments: [String] = []) async throws {
        fake = try FakePulse(resources: 300, seed: 1, token: Self.token, arguments: arguments)
        client = try fake.client(token: Self.token)
        actions = try PulseActions(
            client: client, executeDeadline: .milliseconds(Int64(timing.executeDeadlineSeconds * 1000)), logger: Logger(label: "tests")
        )
        self.timing = timing
        clock = MovableClock()
        let store = try storePath.map { try ResourceStore.open(path: $0) } ?? ResourceStore.inMemory()
        stores = StoreProvider(store, description: "synced from the fake Pulse")
        let walker = PulseWalker(client: client, manifest: Fixtures.manifest, logger: Logger(label: "tests"))
        let freshness = DataFreshness(source: "fake Pulse", interval: .seconds(30), firstSyncWait: .zero, clock: clock.clock)
        let loop = FleetSyncLoop(
            source: WalkerSource(walker: walker), store: store, manifest: Fixtures.manifest, freshness: freshness,
            clock: clock.clock, logger: Logger(label: "tests")
        )
        _ = try #require(await loop.syncOnce(), "the fake Pulse must sync")
        try await fake.clearLog()
    }

    /// The Pulse server as the dispatcher sees it: the fake, or `lifecycle` in front of it.
    func connection(_ lifecycle: (any PulseLifecycle)? = nil) -> PulseConnection {
        PulseConnection(server: .init(endpoint: fake.url), lifecycle: lifecycle ?? actions)
    }

    /// A server over the synced store (or `stores`) at `level`.
    func session(
        level: ControlLevel, peer: any Peer = RecordingPeer(), lifecycle: (any PulseLifecycle)? = nil, stores: StoreProvider? = nil,
        approvalTimeoutSeconds: Double = 30, pulse: Bool = true, capabilities: JSONValue = ["elicitation": [:]]
    ) -> PulseSession {
        let settings = ControlSettings(level: level, approvalTimeoutSeconds: approvalTimeoutSeconds, pulse: timing)
        let server = AssistantServer.make(
            manifest: Fixtures.manifest, manifestSource: "tests", stores: stores ?? self.stores,
            control: .init(
                settings: settings, clock: clock.clock, ids: .sequential(), transport: FakeTransport(),
                pulse: pulse ? connection(lifecycle) : nil
            )
        )
        return PulseSession(server: server, peer: peer, capabilities: capabilities)
    }

    /// The id of the synced resource called `name`.
    func id(_ name: String) throws -> String {
        let rows = try stores.store().read { try $0.resources(named: name) }
        return try #require(rows.first?.id, "no synced resource is called \(name)")
    }

    /// The ids of `count` synced guests Pulse offered `reboot` for, by name.
    func executable(_ count: Int, capability: String = "reboot") throws -> [String] {
        let ids = try stores.store().database.read { db in
            try String.fetchAll(db, sql: """
                SELECT id FROM resource AS r WHERE type IN ('vm', 'system-container') AND EXISTS (
                    SELECT 1 FROM json_each(r.record, '$.details.pulse.capabilities') AS c WHERE json_extract(c.value, '$.name') = ?
                ) ORDER BY name, id LIMIT ?
                """, arguments: [capability, count])
        }
        #expect(ids.count == count, "the fake's fleet has \(ids.count) guests with \(capability), not \(count)")
        return ids
    }

    func stop() async {
        await actions.shutdown()
        await client.shutdown()
        await fake.stop()
    }
}

/// The sync's source: one walk of the fake.
struct WalkerSource: FleetSource {
    let walker: PulseWalker
    var description: String { "fake Pulse" }

    func fetch() async throws -> FleetBatch {
        try await walker.sync().batch
    }
}

/// A server clock that reads the wall clock plus an offset the test moves (to let deadlines pass).
final class MovableClock: Sendable {
    private let offset = Mutex<Int64>(0)

    var clock: ServerClock {
        ServerClock { [self] in ServerClock.system.milliseconds() + offset.withLock { $0 } }
    }

    func advance(seconds: Int64) {
        offset.withLock { $0 += seconds * 1000 }
    }
}

/// One MCP session with a server, driven in process.
final class PulseSession: Sendable {
    let server: MCPServer
    let peer: any Peer
    let capabilities: JSONValue
    private let initialized = Mutex(false)
    private let nextID = Mutex<Int64>(1)

    init(server: MCPServer, peer: any Peer, capabilities: JSONValue = ["elicitation": [:]]) {
        self.server = server
        self.peer = peer
        self.capabilities = capabilities
    }

    /// Calls `tool` (initializing first, declaring `capabilities`); returns the `CallToolResult`.
    func call(_ tool: String, _ arguments: JSONValue) async throws -> JSONValue {
        if initialized.withLock({ done in defer { done = true }; return !done }) {
            _ = try await send("initialize", Fixtures.initializeParams(capabilities: capabilities)).get()
            server.receive(JSONRPC.Notification(method: "notifications/initialized"), from: peer)
        }
        return try await send("tools/call", ["name": .string(tool), "arguments": arguments]).get()
    }

    /// The structured content of `result`, checked against `tool`'s output schema.
    func structured(_ result: JSONValue, _ tool: String) throws -> JSONValue {
        let content = try #require(result["structuredContent"])
        let schema = try #require(server.registry.descriptors.first { $0.name == tool }?.outputSchema)
        let violations = SchemaValidator.violations(of: content, against: schema)
        #expect(violations.isEmpty, "\(tool): \(violations)")
        return content
    }

    /// `control_resource` on `resourceId`; the structured content.
    func control(_ resourceId: String, _ action: String, key: String? = nil, reason: String = "tests ask") async throws -> JSONValue {
        var arguments: JSONObject = ["resourceId": .string(resourceId), "action": .string(action), "reason": .string(reason)]
        arguments.setIfPresent("idempotencyKey", key.map(JSONValue.string))
        return try structured(try await call("control_resource", .object(arguments)), "control_resource")
    }

    private func send(_ method: String, _ params: JSONValue) async -> Result<JSONValue, JSONRPCError> {
        let id = nextID.withLock { value in
            defer { value += 1 }
            return value
        }
        switch server.receive(Request(id: .integer(id), method: method, params: params), from: peer) {
        case .now(let outcome): return outcome
        case .later(_, let work): return await work()
        case .inline(let work): return work()
        }
    }
}

/// A peer whose human answers each approval request as `answer` says, after it has run.
final class ScriptedPeer: Peer {
    private let answer: @Sendable (JSONValue) async -> JSONValue
    private let state = Mutex<[JSONValue]>([])

    init(_ answer: @escaping @Sendable (JSONValue) async -> JSONValue) {
        self.answer = answer
    }

    /// A human who approves at once.
    static func approving() -> ScriptedPeer { ScriptedPeer { _ in approve } }

    static let approve: JSONValue = ["action": "accept", "content": ["approve": true]]
    static let decline: JSONValue = ["action": "decline"]

    /// The approval requests asked, in order.
    var asked: [JSONValue] { state.withLock { $0 } }

    func notify(_ notification: JSONRPC.Notification) {}

    func request(_ method: String, params: JSONValue?) async throws(JSONRPCError) -> JSONValue {
        guard method == "elicitation/create" else { throw .methodNotFound(method) }
        state.withLock { $0.append(params ?? .null) }
        return await answer(params ?? .null)
    }

    func cancel(_ id: RequestID) {}
}
