import JSON
import JSONRPC
import Synchronization

/// `subscriptions/listen` (MCP 2026-07-28): one long request per stream.
///
/// ```
/// listen {notifications: {resourcesListChanged?, resourceSubscriptions?, …}}
///   → notifications/subscriptions/acknowledged {notifications: the subset honoured}
///   → notifications/resources/list_changed, notifications/resources/updated {uri}   on each store change
///   each tagged _meta["io.modelcontextprotocol/subscriptionId"] = the listen request's id
///   → notifications/tasks/status {the task as tasks/get shows it}            on each change of a task in tasksStatus
/// notifications/cancelled → nothing more is sent (the connection suppresses the response too)
/// end of input → the result {_meta: {subscriptionId}}: the server closed the stream
/// ```
///
/// Honoured: `resourcesListChanged`, and `resourceSubscriptions` for `pulse://` URIs that resolve.
/// The tool list never changes in a process, so `toolsListChanged` is never honoured; there are no prompts.
/// With the tasks extension declared, `tasksStatus` (its schema's name) is honoured for the client's own
/// tasks still held; without it, asking for it is -32021.
extension MCPServer {
    static let subscriptionIdKey = "io.modelcontextprotocol/subscriptionId"
    /// The tasks extension's status notification (its schema's name; its prose still says `notifications/tasks`).
    static let taskStatusNotification = "notifications/tasks/status"

    func listen(_ modern: ModernRequest, id: RequestID, peer: any Peer) -> Reply {
        guard let filter = modern.params["notifications"]?.objectValue else {
            return .error(.invalidParams("subscriptions/listen needs a notifications object"))
        }
        let feed = self.modern.changes
        var tasks: [ControlTask] = []
        var honoured: JSONObject = [:]
        if case .array(let asked)? = filter["tasksStatus"] {
            guard Self.declaresTasks(modern) else {
                return .error(.missingRequiredClientCapability(
                    ["extensions": [Self.tasksExtension: [:]]], why: "tasksStatus belongs to the tasks extension: declare extensions[\"\(Self.tasksExtension)\"]"
                ))
            }
            // Only the client's own tasks, still held: the others are left out of the subset, unnamed.
            let principal = ApprovalStates.principal(modern.client)
            var ids: [String] = []
            for taskId in asked.compactMap(\.stringValue) where !ids.contains(taskId) {
                guard let task = self.modern.tasks.task(taskId, principal: principal) else { continue }
                ids.append(taskId)
                tasks.append(task)
            }
            honoured["tasksStatus"] = JSONValue(ids)
        }
        guard let resources, self.modern.watchesStore else {
            // No store change can be heard: the ack is still owed, with the subset honoured, and the stream stays open.
            return listenStream(id: id, honoured: honoured, listChanged: false, uris: [], tasks: tasks, resources: nil, feed: feed, peer: peer)
        }
        let listChanged = filter["resourcesListChanged"]?.boolValue == true
        if listChanged { honoured["resourcesListChanged"] = true }
        var uris: [String] = []
        if case .array(let asked)? = filter["resourceSubscriptions"] {
            for uri in asked.compactMap(\.stringValue) where uri.hasPrefix("pulse://") && !uris.contains(uri) {
                uris.append(uri)
            }
            honoured["resourceSubscriptions"] = JSONValue(uris)
        }
        return listenStream(id: id, honoured: honoured, listChanged: listChanged, uris: uris, tasks: tasks, resources: resources, feed: feed, peer: peer)
    }

    private func listenStream(
        id: RequestID, honoured: JSONObject, listChanged: Bool, uris: [String], tasks: [ControlTask], resources: ResourceCatalog?,
        feed: ChangeFeed, peer: any Peer
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
            // The tasks extension: each change of a followed task, as tasks/get would show it, until the
            // stream ends. Followed from before the ack (a change the client causes right after it is
            // not missed), sent only after it (held until then), in order (sent under the lock).
            let stream = Mutex<(open: Bool, closed: Bool, held: [JSONValue])>((false, false, []))
            let observers = tasks.map { task in
                task.observe { detailed in
                    guard var params = detailed.objectValue else { return }
                    params["_meta"] = tag
                    stream.withLock { stream in
                        guard !stream.closed else { return }
                        guard stream.open else { return stream.held.append(.object(params)) }
                        peer.notify(Notification(method: Self.taskStatusNotification, params: .object(params)))
                    }
                }
            }
            stream.withLock { stream in
                peer.notify(Notification(method: "notifications/subscriptions/acknowledged", params: ["notifications": .object(honoured), "_meta": tag]))
                for params in stream.held { peer.notify(Notification(method: Self.taskStatusNotification, params: params)) }
                stream.open = true
                stream.held = []
            }
            var last: [String: String] = [:]
            for uri in uris { last[uri] = Self.content(of: uri, resources, context) }
            await withTaskCancellationHandler {
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
            } onCancel: {
                stream.withLock { $0.closed = true }
            }
            stream.withLock { $0.closed = true }
            for (task, observer) in zip(tasks, observers) { task.unobserve(observer) }
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
