import JSON
import JSONRPC
import Synchronization

/// Resource notifications of the legacy session (2024-11-05 … 2025-11-25):
/// `notifications/resources/list_changed` on each change of the store, from `initialize` on, and
/// `notifications/resources/updated {uri}` for each URI `resources/subscribe`d whose content changed.
/// The same ``ChangeFeed`` feeds `subscriptions/listen`.
final class LegacySubscriptions: Sendable {
    private struct State {
        var token: Int?
        var peer: (any Peer)?
        /// Each subscribed URI and what it read as last.
        var uris: [String: String?] = [:]
    }

    private let feed: ChangeFeed
    private let resources: ResourceCatalog
    private let state = Mutex(State())

    init(feed: ChangeFeed, resources: ResourceCatalog) {
        self.feed = feed
        self.resources = resources
    }

    /// The session began: its peer hears every change from now on.
    func attach(_ peer: any Peer) {
        let token = feed.subscribe { [weak self] event in
            if event == .changed { self?.changed() }
        }
        state.withLock { state in
            state.peer = peer
            state.token = token
        }
    }

    /// `resources/subscribe`: -32002 for a URI that reads as nothing.
    func subscribe(_ uri: String, context: ToolContext) throws(JSONRPCError) -> JSONValue {
        let now = JSONSerializer.string(try resources.read(uri: uri, context: context))
        state.withLock { $0.uris[uri] = now }
        return [:]
    }

    /// `resources/unsubscribe`: a URI not subscribed is no error.
    func unsubscribe(_ uri: String) -> JSONValue {
        _ = state.withLock { $0.uris.removeValue(forKey: uri) }
        return [:]
    }

    private func changed() {
        guard let (peer, uris) = state.withLock({ state in state.peer.map { ($0, Array(state.uris.keys)) } }) else { return }
        peer.notify(Notification(method: "notifications/resources/list_changed", params: nil))
        for uri in uris.sorted() {
            let context = ToolContext(requestID: .string("subscription"), protocolVersion: .v2025_11_25,
                                      client: ClientInfo(name: "", version: "", capabilities: [:]), progressToken: nil, peer: peer)
            let now = try? JSONSerializer.string(resources.read(uri: uri, context: context))
            let differs = state.withLock { state -> Bool in
                guard let last = state.uris[uri], last != now else { return false }
                state.uris[uri] = now
                return true
            }
            if differs {
                peer.notify(Notification(method: "notifications/resources/updated", params: ["uri": .string(uri)]))
            }
        }
    }
}
