import JSON
import JSONRPC

/// `subscriptions/listen` (MCP 2026-07-28): one long request per stream.
///
/// ```
/// listen {notifications: {resourcesListChanged?, resourceSubscriptions?, …}}
///   → notifications/subscriptions/acknowledged {notifications: the subset honoured}
///   → notifications/resources/list_changed, notifications/resources/updated {uri}   on each store change
///   each tagged _meta["io.modelcontextprotocol/subscriptionId"] = the listen request's id
/// notifications/cancelled → nothing more is sent (the connection suppresses the response too)
/// end of input → the result {_meta: {subscriptionId}}: the server closed the stream
/// ```
///
/// Honoured: `resourcesListChanged`, and `resourceSubscriptions` for `pulse://` URIs that resolve.
/// The tool list never changes in a process, so `toolsListChanged` is never honoured; there are no prompts.
extension MCPServer {
    static let subscriptionIdKey = "io.modelcontextprotocol/subscriptionId"

    func listen(_ modern: ModernRequest, id: RequestID, peer: any Peer) -> Reply {
        guard let filter = modern.params["notifications"]?.objectValue else {
            return .error(.invalidParams("subscriptions/listen needs a notifications object"))
        }
        let feed = self.modern.changes
        guard let resources, self.modern.watchesStore else {
            // Nothing here can change: the ack is still owed, with an empty subset, and the stream stays open.
            return listenStream(id: id, honoured: [:], listChanged: false, uris: [], resources: nil, feed: feed, peer: peer)
        }
        var honoured: JSONObject = [:]
        let listChanged = filter["resourcesListChanged"]?.boolValue == true
        if listChanged { honoured["resourcesListChanged"] = true }
        var uris: [String] = []
        if case .array(let asked)? = filter["resourceSubscriptions"] {
            for uri in asked.compactMap(\.stringValue) where uri.hasPrefix("pulse://") && !uris.contains(uri) {
                uris.append(uri)
            }
            honoured["resourceSubscriptions"] = JSONValue(uris)
        }
        return listenStream(id: id, honoured: honoured, listChanged: listChanged, uris: uris, resources: resources, feed: feed, peer: peer)
    }

    private func listenStream(
        id: RequestID, honoured: JSONObject, listChanged: Bool, uris: [String], resources: ResourceCatalog?, feed: ChangeFeed, peer: any Peer
    ) -> Reply {
        let tag: JSONValue = [Self.subscriptionIdKey: id.jsonValue]
        let context = ToolContext(requestID: id, protocolVersion: .v2025_11_25, client: ClientInfo(name: "", version: "", capabilities: [:]), progressToken: nil, peer: peer)
        return .later {
            let (events, continuation) = AsyncStream.makeStream(of: ChangeFeed.Event.self, bufferingPolicy: .bufferingNewest(1))
            let token = feed.subscribe { event in
                continuation.yield(event)
                if event == .finished { continuation.finish() }
            }
            if token == nil { continuation.finish() }
            peer.notify(Notification(method: "notifications/subscriptions/acknowledged", params: ["notifications": .object(honoured), "_meta": tag]))
            var last: [String: String] = [:]
            for uri in uris { last[uri] = Self.content(of: uri, resources, context) }
            for await event in events where event == .changed {
                guard !Task.isCancelled else { break }
                if listChanged {
                    peer.notify(Notification(method: "notifications/resources/list_changed", params: ["_meta": tag]))
                }
                for uri in uris {
                    let now = Self.content(of: uri, resources, context)
                    guard now != last[uri], !Task.isCancelled else { continue }
                    last[uri] = now
                    peer.notify(Notification(method: "notifications/resources/updated", params: ["uri": .string(uri), "_meta": tag]))
                }
            }
            if let token { feed.cancel(token) }
            return .success(self.complete(["_meta": tag]))
        }
    }

    /// What `uri` reads as now (`nil` when it does not resolve), to tell whether it changed.
    private static func content(of uri: String, _ resources: ResourceCatalog?, _ context: ToolContext) -> String? {
        guard let resources, let value = try? resources.read(uri: uri, context: context) else { return nil }
        return JSONSerializer.string(value)
    }
}
