import JSON
import JSONRPC
import Logging
import ResourceStore
import Synchronization

/// The MCP server: lifecycle, `tools/list` and `tools/call`.
///
/// It is a ``MessageHandler``: the connection hands it each message in wire
/// order on the reading thread. Lifecycle requests, `ping` and every error
/// are answered right there — ordered and without a task hop — and only tool
/// calls run concurrently.
///
/// ```
/// uninitialized --initialize--> ready   (notifications/initialized is noted, not required)
///   before ready: initialize and ping only; everything else is refused
/// ```
///
/// A request of the 2026-07-28 era (its `_meta` names the protocol version) is
/// served statelessly beside that state, by ``receiveModern(_:from:)``.
package final class MCPServer: MessageHandler {
    /// What the server says about itself in `initialize`.
    package struct Configuration: Sendable {
        package var name: String
        package var title: String
        package var version: String
        package var instructions: String
        /// Tools per `tools/list` page.
        package var toolsPageSize: Int

        package init(name: String, title: String, version: String, instructions: String, toolsPageSize: Int = 50) {
            self.name = name
            self.title = title
            self.version = version
            self.instructions = instructions
            self.toolsPageSize = toolsPageSize
        }
    }

    /// What `initialize` settled.
    struct Session: Sendable {
        var version: ProtocolVersion
        var client: ClientInfo
        var clientReady = false
    }

    package let configuration: Configuration
    package let registry: ToolRegistry
    /// The MCP resources, when the server offers them.
    package let resources: ResourceCatalog?
    /// Where each `tools/call` is recorded before it is answered; `nil` records nothing (tests).
    package let audit: AuditTrail?
    /// What the 2026-07-28 era needs: capability requirements and approval states.
    package let modern: ModernEra
    /// Where blocking store work runs: tool calls, resource reads, completion (``StoreExecutor/shared``
    /// in the product; a test may give a server threads of its own).
    package let storeThreads: StoreExecutor
    /// `resources/subscribe` and the resource notifications of the legacy session, when the store is watched.
    let legacySubscriptions: LegacySubscriptions?
    let logger: Logger
    private let session = Mutex<Session?>(nil)

    package init(
        configuration: Configuration, registry: ToolRegistry, resources: ResourceCatalog? = nil, audit: AuditTrail? = nil,
        modern: ModernEra = ModernEra(), storeThreads: StoreExecutor = .shared, logger: Logger = Logger(label: "mcp")
    ) {
        self.configuration = configuration
        self.registry = registry
        self.resources = resources
        self.audit = audit
        self.modern = modern
        self.storeThreads = storeThreads
        self.legacySubscriptions = resources.flatMap { modern.watchesStore ? LegacySubscriptions(feed: modern.changes, resources: $0) : nil }
        self.logger = logger
    }

    // MARK: - MessageHandler

    package func receive(_ request: Request, from peer: any Peer) -> Reply {
        if Self.isModern(request) { return receiveModern(request, from: peer) }
        switch request.method {
        case "initialize":
            let answer = Result { () throws(JSONRPCError) in try initialize(request.params) }
            if case .success = answer { legacySubscriptions?.attach(peer) }
            return .now(answer)
        case "ping":
            return .result([:])
        case "server/discover":
            // Without `_meta` naming its version this is no modern request, and legacy has no such method.
            return .error(.methodNotFound(request.method))
        case "tools/list", "tools/call":
            break
        case "resources/list", "resources/templates/list", "resources/read", "prompts/list", "prompts/get", "completion/complete":
            guard resources != nil else { return .error(.methodNotFound(request.method)) }
        case "resources/subscribe", "resources/unsubscribe":
            guard legacySubscriptions != nil else { return .error(.methodNotFound(request.method)) }
        default:
            return .error(.methodNotFound(request.method))
        }
        guard let current = session.withLock({ $0 }) else {
            return .error(.invalidRequest("the server is not initialized: send initialize first (only initialize and ping are served before it)"))
        }
        let params: JSONObject
        switch request.params {
        case nil: params = JSONObject()
        case .object(let object)?: params = object
        case let other?: return .error(.invalidParams("params must be an object, got \(other.typeName)"))
        }
        switch request.method {
        case "tools/list":
            return .now(Result { () throws(JSONRPCError) in try listTools(params, version: current.version) })
        case "tools/call":
            return callTool(params, id: request.id, session: current, peer: peer)
        case let method where Self.promptMethods.contains(method):
            return promptRequest(method, params, version: current.version)
        default:
            return resourceRequest(request.method, params, id: request.id, session: current, peer: peer)
        }
    }

    package func inputEnded() {
        modern.changes.finish()
        modern.tasks.inputEnded()
    }

    package func receive(_ notification: Notification, from peer: any Peer) {
        switch notification.method {
        case "notifications/initialized":
            session.withLock { $0?.clientReady = true }
        case "notifications/cancelled":
            guard let raw = notification.params?["requestId"], let id = RequestID(raw) else {
                logger.debug("ignored notifications/cancelled without a valid requestId")
                return
            }
            peer.cancel(id)
        default:
            // Unknown notifications are ignored, as the protocol asks.
            break
        }
    }

    // MARK: - Methods

    private func initialize(_ params: JSONValue?) throws(JSONRPCError) -> JSONValue {
        guard case .object(let params)? = params else {
            throw .invalidParams("initialize needs params with protocolVersion, capabilities and clientInfo")
        }
        guard let requested = params["protocolVersion"]?.stringValue else {
            throw .invalidParams("initialize: protocolVersion must be a string")
        }
        guard let capabilities = params["capabilities"]?.objectValue else {
            throw .invalidParams("initialize: capabilities must be an object")
        }
        guard let name = params["clientInfo"]?["name"]?.stringValue,
              let clientVersion = params["clientInfo"]?["version"]?.stringValue
        else {
            throw .invalidParams("initialize: clientInfo must be an object with string name and version")
        }
        let version = ProtocolVersion.negotiate(requested)
        let client = ClientInfo(name: name, version: clientVersion, capabilities: capabilities)
        let accepted = session.withLock { session in
            guard session == nil else { return false }
            session = Session(version: version, client: client)
            return true
        }
        guard accepted else { throw .invalidRequest("initialize was already received on this connection") }
        logger.info("initialized", metadata: ["client": "\(name) \(clientVersion)", "protocol": "\(version.rawValue)"])
        return initializeResult(version)
    }

    private func initializeResult(_ version: ProtocolVersion) -> JSONValue {
        var serverInfo: JSONObject = ["name": .string(configuration.name)]
        if version.hasStructuredContent {
            serverInfo["title"] = .string(configuration.title)
        }
        serverInfo["version"] = .string(configuration.version)
        return [
            "protocolVersion": .string(version.rawValue),
            "capabilities": capabilities(version),
            "serverInfo": .object(serverInfo),
            "instructions": .string(configuration.instructions),
        ]
    }

    func capabilities(_ version: ProtocolVersion) -> JSONValue {
        var capabilities: JSONObject = ["tools": ["listChanged": false]]
        if resources != nil {
            // Changes are noticed only where the store is watched (LegacySubscriptions, subscriptions/listen).
            let watched = legacySubscriptions != nil
            capabilities["resources"] = ["subscribe": .bool(watched), "listChanged": .bool(watched)]
            Self.promptCapabilities(version, into: &capabilities)
        }
        return .object(capabilities)
    }

    private func resourceRequest(_ method: String, _ params: JSONObject, id: RequestID, session: Session, peer: any Peer) -> Reply {
        guard let resources else { return .error(.methodNotFound(method)) }
        let version = session.version
        switch method {
        case "resources/templates/list":
            return .result(resources.templates(version: version))
        case "resources/subscribe", "resources/unsubscribe":
            guard let subscriptions = legacySubscriptions else { return .error(.methodNotFound(method)) }
            guard let uri = params["uri"]?.stringValue else { return .error(.invalidParams("\(method) needs a string uri")) }
            guard method == "resources/subscribe" else { return .result(subscriptions.unsubscribe(uri)) }
            let context = ToolContext(requestID: id, protocolVersion: version, client: session.client, progressToken: nil, peer: peer)
            return .later { Result { () throws(JSONRPCError) in try subscriptions.subscribe(uri, context: context) } }
        case "resources/list":
            let cursor: String?
            switch params["cursor"] {
            case nil, .null?: cursor = nil
            case .string(let token)?: cursor = token
            case let other?: return .error(.invalidParams("cursor must be a string, got \(other.typeName)"))
            }
            return .later(on: storeThreads) { await self.storeThreads.result { () throws(JSONRPCError) in try resources.list(cursor: cursor, version: version) } }
        default:
            guard let uri = params["uri"]?.stringValue else { return .error(.invalidParams("resources/read needs a string uri")) }
            let context = ToolContext(requestID: id, protocolVersion: version, client: session.client, progressToken: nil, peer: peer)
            return .later(on: storeThreads) { await self.storeThreads.result { () throws(JSONRPCError) in try resources.read(uri: uri, context: context) } }
        }
    }

    private func listTools(_ params: JSONObject, version: ProtocolVersion) throws(JSONRPCError) -> JSONValue {
        var cursor: String?
        switch params["cursor"] {
        case nil, .null?: cursor = nil
        case .string(let token)?: cursor = token
        case let other?: throw .invalidParams("cursor must be a string, got \(other.typeName)")
        }
        return try registry.list(cursor: cursor, pageSize: configuration.toolsPageSize, version: version)
    }

    private func callTool(_ params: JSONObject, id: RequestID, session: Session, peer: any Peer) -> Reply {
        let started = ContinuousClock.now
        let arguments = params["arguments"]
        guard let name = params["name"]?.stringValue else {
            return .now(audited(.failure(.invalidParams("tools/call needs a string name")), tool: "", arguments: arguments, client: session.client, since: started))
        }
        let context = ToolContext(
            requestID: id,
            protocolVersion: session.version,
            client: session.client,
            progressToken: params["_meta"]?["progressToken"],
            peer: peer
        )
        let registry = self.registry
        if registry.runsInline(name) {
            return .inline {
                let answer = Result { () throws(JSONRPCError) in try registry.callInline(name, arguments: arguments, context: context) }
                return self.audited(answer, tool: name, arguments: arguments, client: session.client, outcome: context.outcome.outcome, since: started)
            }
        }
        // A task that may block in SQLite or the audit append does it on the store's threads, not the pool's.
        return .later(on: storeThreads) {
            await registry.callOnStoreThreads(name, arguments: arguments, context: context, on: self.storeThreads) { answer in
                self.audited(answer, tool: name, arguments: arguments, client: session.client, outcome: context.outcome.outcome, since: started)
            }
        }
    }

    /// `answer` once its audit record is committed; the audit's error if it could not be.
    func audited(
        _ answer: Result<JSONValue, JSONRPCError>, tool: String, arguments: JSONValue?, client: ClientInfo,
        outcome: ToolOutcome? = nil, since started: ContinuousClock.Instant
    ) -> Result<JSONValue, JSONRPCError> {
        guard let audit else { return answer }
        do throws(JSONRPCError) {
            try audit.record(tool: tool, arguments: arguments, client: client, answer: answer, outcome: outcome, duration: ContinuousClock.now - started)
            return answer
        } catch {
            logger.critical("audit write failed", metadata: ["tool": "\(tool)", "error": "\(error.message)"])
            return .failure(error)
        }
    }
}
