import AssistantTools
import Foundation
import JSON
import JSONRPC
import Policy
import ResourceStore
import Synchronization
import Testing

/// A peer that records what the server asked of the connection.
final class RecordingPeer: Peer {
    private let state = Mutex<(notifications: [JSONRPC.Notification], cancelled: [RequestID])>(([], []))

    var notifications: [JSONRPC.Notification] { state.withLock { $0.notifications } }
    var cancelled: [RequestID] { state.withLock { $0.cancelled } }

    func notify(_ notification: JSONRPC.Notification) {
        state.withLock { $0.notifications.append(notification) }
    }

    func request(_ method: String, params: JSONValue?) async throws(JSONRPCError) -> JSONValue {
        throw .methodNotFound(method)
    }

    func cancel(_ id: RequestID) {
        state.withLock { $0.cancelled.append(id) }
    }
}

enum Fixtures {
    /// The shipped platform support model.
    static let manifest: PlatformSupportManifest = {
        do {
            return try PlatformSupportManifest.bundled { try Data(contentsOf: $0) }
        } catch {
            fatalError("the bundled manifest must load: \(error)")
        }
    }()

    /// The repository's root, found from this file's path.
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The embedded demo fleet, built once for the whole suite.
    static let demoStores: StoreProvider = {
        do {
            return StoreProvider(try EmbeddedDemo.makeStore(manifest: manifest), description: "demo fleet (tests)")
        } catch {
            fatalError("the demo fleet must ingest: \(error)")
        }
    }()

    static let services = ReadServices(stores: demoStores, gate: ReadGate(manifest: manifest))

    static func initializeParams(version: String = "2025-11-25", capabilities: JSONValue = [:]) -> JSONValue {
        ["protocolVersion": .string(version), "capabilities": capabilities, "clientInfo": ["name": "tests", "version": "1.0"]]
    }

    static func context(version: ProtocolVersion = .latest, peer: any Peer = RecordingPeer()) -> ToolContext {
        ToolContext(
            requestID: .integer(1),
            protocolVersion: version,
            client: ClientInfo(name: "tests", version: "1.0", capabilities: JSONObject()),
            progressToken: nil,
            peer: peer
        )
    }
}

/// Drives an ``MCPServer`` in process, the way the connection does.
final class InProcessClient: Sendable {
    let server: MCPServer
    let peer = RecordingPeer()
    private let nextID = Mutex<Int64>(1)
    private let initialized = Mutex(false)

    init(_ server: MCPServer = AssistantServer.make(manifest: Fixtures.manifest, manifestSource: "tests", stores: Fixtures.demoStores)) {
        self.server = server
    }

    /// Sends a request and waits for its answer.
    func send(_ method: String, _ params: JSONValue? = nil) async -> Result<JSONValue, JSONRPCError> {
        let id = nextID.withLock { id in
            defer { id += 1 }
            return id
        }
        switch server.receive(Request(id: .integer(id), method: method, params: params), from: peer) {
        case .now(let outcome): return outcome
        case .later(_, let work): return await work()
        case .inline(let work): return work()
        }
    }

    func notify(_ method: String, _ params: JSONValue? = nil) {
        server.receive(JSONRPC.Notification(method: method, params: params), from: peer)
    }

    /// Initializes the session; the test fails if that does not work.
    @discardableResult
    func initialize(version: String = "2025-11-25") async throws -> JSONValue {
        let result = try await send("initialize", Fixtures.initializeParams(version: version)).get()
        notify("notifications/initialized")
        return result
    }

    /// Initializes the session unless that was done already.
    func ensureInitialized() async throws {
        guard initialized.withLock({ done in defer { done = true }; return !done }) else { return }
        try await initialize()
    }

    /// Calls a tool and returns the `CallToolResult`.
    func callTool(_ name: String, _ arguments: JSONValue = [:]) async throws -> JSONValue {
        try await send("tools/call", ["name": .string(name), "arguments": arguments]).get()
    }
}

extension Result where Failure == JSONRPCError {
    /// The error code, or nil for a success.
    var errorCode: Int? {
        if case .failure(let error) = self { error.code } else { nil }
    }
}

/// A tool for registry tests: echoes its arguments or fails as told.
struct StubTool: Tool {
    var name: String
    var behaviour: Behaviour = .echo

    enum Behaviour: Sendable {
        case echo
        case reject(String)
        case fail(String)
        /// Reports its arguments as a failed outcome (`isError` with `structuredContent`).
        case report
    }

    var descriptor: ToolDescriptor {
        ToolDescriptor(
            name: name,
            title: "Stub \(name)",
            description: "Echoes its arguments.",
            inputSchema: [
                "type": "object",
                "properties": ["count": ["type": "integer", "minimum": 1], "label": ["type": "string"]],
                "additionalProperties": false,
            ],
            outputSchema: ["type": "object"],
            annotations: .read
        )
    }

    func call(_ arguments: JSONObject, context: ToolContext) async throws(ToolError) -> JSONValue {
        switch behaviour {
        case .echo: return .object(arguments)
        case .reject(let message): throw .rejected(message)
        case .fail(let message): throw .internalFailure(message)
        case .report: throw .reported(.object(arguments))
        }
    }
}
