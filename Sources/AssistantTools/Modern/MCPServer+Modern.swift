import JSON
import JSONRPC
import ResourceStore

/// The 2026-07-28 era: every request stands alone, its version and capabilities in its own `_meta`.
///
/// A request is modern when its `_meta` carries `io.modelcontextprotocol/protocolVersion`; it is
/// answered whether or not the process also serves a legacy session, and nothing it does changes that
/// session. A `server/discover` without that key is a legacy request, answered -32601 as before (the
/// legacy versions have no such method; a modern probe always names its version). Legacy answers are built as before and never see the fields
/// added here (`resultType`, `_meta.serverInfo`, `ttlMs`, `cacheScope`).
extension MCPServer {
    /// How long a client may cache the tool list, the templates and `server/discover`: they are fixed
    /// for the life of the process (the control level is read at start).
    static let staticTTL: Int64 = 3_600_000
    /// Resources change with every ingest or sync of the store: a client re-reads them after this.
    static let resourceTTL: Int64 = 5_000

    /// Whether `request` is served in the modern era.
    static func isModern(_ request: Request) -> Bool {
        ModernRequest.isModern(request.params)
    }

    func receiveModern(_ request: Request, from peer: any Peer) -> Reply {
        let modern: ModernRequest
        do throws(JSONRPCError) {
            modern = try ModernRequest(request.params)
        } catch {
            return .error(error)
        }
        switch request.method {
        case "server/discover":
            return .result(complete(discoverResult(), ttl: Self.staticTTL, scope: "public"))
        case "tools/list":
            return .now(Result { () throws(JSONRPCError) in
                let page = try registry.list(cursor: try Self.cursor(modern.params), pageSize: configuration.toolsPageSize, version: .v2025_11_25)
                return complete(page, ttl: Self.staticTTL, scope: "public")
            })
        case "tools/call":
            return callModern(modern, id: request.id, peer: peer)
        case "subscriptions/listen":
            return listen(modern, id: request.id, peer: peer)
        case "tasks/get", "tasks/update", "tasks/cancel":
            guard taskCapabilities != nil else { return .error(.methodNotFound(request.method)) }
            return taskRequest(request.method, modern)
        case "resources/list", "resources/templates/list", "resources/read":
            guard let resources else { return .error(.methodNotFound(request.method)) }
            return resourceModern(request.method, modern, resources: resources, id: request.id, peer: peer)
        case let method where Self.promptMethods.contains(method):
            return promptModern(method, modern.params)
        default:
            // Includes what 2026-07-28 removed: initialize, ping, logging/setLevel, resources/subscribe.
            return .error(.methodNotFound(request.method))
        }
    }

    /// `server/discover`: the versions served, the capabilities, the instructions.
    func discoverResult() -> JSONValue {
        [
            "supportedVersions": JSONValue(ModernRequest.supportedVersions),
            "capabilities": modernCapabilities,
            "instructions": .string(configuration.instructions),
        ]
    }

    /// The same as legacy's (resource changes come through `subscriptions/listen` here), and the tasks
    /// extension.
    var modernCapabilities: JSONValue {
        guard let extensions = taskCapabilities, var object = capabilities(.v2025_11_25).objectValue else { return capabilities(.v2025_11_25) }
        object["extensions"] = extensions
        return .object(object)
    }

    private func resourceModern(_ method: String, _ modern: ModernRequest, resources: ResourceCatalog, id: RequestID, peer: any Peer) -> Reply {
        switch method {
        case "resources/templates/list":
            return .result(complete(resources.templates(version: .v2025_11_25), ttl: Self.staticTTL, scope: "public"))
        case "resources/list":
            return .later(on: storeThreads) {
                await self.storeThreads.result { () throws(JSONRPCError) in
                    let page = try resources.list(cursor: try Self.cursor(modern.params), version: .v2025_11_25)
                    return self.complete(page, ttl: Self.resourceTTL, scope: "private")
                }
            }
        default:
            guard let uri = modern.params["uri"]?.stringValue else { return .error(.invalidParams("resources/read needs a string uri")) }
            var prepared = ToolContext(requestID: id, protocolVersion: .v2025_11_25, client: modern.client, progressToken: nil, peer: peer)
            prepared.isModern = true
            let context = prepared
            return .later(on: storeThreads) {
                await self.storeThreads.result { () throws(JSONRPCError) in
                    do throws(JSONRPCError) {
                        return self.complete(try resources.read(uri: uri, context: context), ttl: Self.resourceTTL, scope: "private")
                    } catch where error.code == JSONRPCError.resourceNotFoundCode {
                        // 2026-07-28 defines no -32002: an unknown resource is a bad parameter.
                        throw JSONRPCError(code: JSONRPCError.invalidParamsCode, message: "Invalid params: resource not found: \(uri.prefix(200))", data: error.data)
                    }
                }
            }
        }
    }

    private static func cursor(_ params: JSONObject) throws(JSONRPCError) -> String? {
        switch params["cursor"] {
        case nil, .null?: return nil
        case .string(let token)?: return token
        case let other?: throw .invalidParams("cursor must be a string, got \(other.typeName)")
        }
    }

    /// A modern result: `resultType`, the caching hints when given, and `_meta.serverInfo`.
    func complete(_ result: JSONValue, ttl: Int64? = nil, scope: String? = nil) -> JSONValue {
        guard case .object(var object) = result else { return result }
        object["resultType"] = object["resultType"] ?? "complete"
        if let ttl, object["resultType"]?.stringValue == "complete" {
            object["ttlMs"] = .integer(ttl)
            object.setIfPresent("cacheScope", scope.map(JSONValue.string))
        }
        let serverInfo = modern.resultMeta {
            [ModernRequest.serverInfoKey: ["name": .string(configuration.name), "title": .string(configuration.title), "version": .string(configuration.version)]]
        }
        if var meta = object["_meta"]?.objectValue {
            for (key, value) in serverInfo { meta[key] = value }
            object["_meta"] = .object(meta)
        } else {
            object["_meta"] = .object(serverInfo)
        }
        return .object(object)
    }
}
