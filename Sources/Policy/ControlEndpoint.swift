/// The control endpoints known to the store: Pulse agents and platform connections (DESIGN §6), and
/// the Pulse server the operator configured.
package enum ControlEndpoint {
    /// The Pulse server whose action lifecycle carries the actions on resources synced from it.
    package struct PulseServer: Sendable, Equatable, Hashable {
        /// The route's id in decisions and the audit (`pulse`).
        package var id: String
        /// Where it is, for people: its base URL (never a credential).
        package var endpoint: String

        package init(id: String = "pulse", endpoint: String) {
            self.id = id
            self.endpoint = endpoint
        }
    }

    /// A Pulse agent that can execute actions on the host it runs on.
    package struct Agent: Sendable, Equatable, Hashable {
        package var id: String
        /// The resource (a host or node) this agent runs on.
        package var hostResourceId: String
        package var endpoint: String
        package var commandsEnabled: Bool
        /// Seconds on the injected clock; `nil` when the agent has never reported.
        package var lastHeartbeat: Double?

        package init(id: String, hostResourceId: String, endpoint: String, commandsEnabled: Bool, lastHeartbeat: Double?) {
            self.id = id
            self.hostResourceId = hostResourceId
            self.endpoint = endpoint
            self.commandsEnabled = commandsEnabled
            self.lastHeartbeat = lastHeartbeat
        }
    }

    /// A platform connection (an API path) rooted at one resource.
    package struct Connection: Sendable, Equatable, Hashable {
        package var id: String
        /// The platform id or alias this connection talks to.
        package var platform: String
        /// The resource at the top of what this connection sees (a TrueNAS system).
        package var rootResourceId: String
        package var endpoint: String
        package var controlEnabled: Bool

        package init(id: String, platform: String, rootResourceId: String, endpoint: String, controlEnabled: Bool) {
            self.id = id
            self.platform = platform
            self.rootResourceId = rootResourceId
            self.endpoint = endpoint
            self.controlEnabled = controlEnabled
        }
    }
}
