/// Everything ``ControlPolicy/decide(_:manifest:)`` looks at, as values: no store, no clock, no I/O.
package struct ControlInputs: Sendable, Equatable {
    /// The resource, or `nil` when the store has none with ``requestedResourceId``.
    package var target: ControlTarget?
    /// The id the caller asked for, kept for the not-found message.
    package var requestedResourceId: String
    package var action: ControlAction
    /// The desired replica count; only `scale` reads it.
    package var replicas: Int?
    package var level: ControlLevel
    package var agents: [ControlEndpoint.Agent]
    package var connections: [ControlEndpoint.Connection]
    /// The Pulse server this assistant may act through; nil when the operator configured none.
    package var pulseServer: ControlEndpoint.PulseServer?
    /// The injected clock's reading, in seconds.
    package var now: Double
    /// An agent whose heartbeat is older than this many seconds is stale.
    package var heartbeatWindow: Double

    package static let defaultHeartbeatWindow: Double = 300

    package init(
        target: ControlTarget?, requestedResourceId: String, action: ControlAction, replicas: Int? = nil,
        level: ControlLevel = .default, agents: [ControlEndpoint.Agent] = [],
        connections: [ControlEndpoint.Connection] = [], pulseServer: ControlEndpoint.PulseServer? = nil, now: Double,
        heartbeatWindow: Double = ControlInputs.defaultHeartbeatWindow
    ) {
        self.target = target
        self.requestedResourceId = requestedResourceId
        self.action = action
        self.replicas = replicas
        self.level = level
        self.agents = agents
        self.connections = connections
        self.pulseServer = pulseServer
        self.now = now
        self.heartbeatWindow = heartbeatWindow
    }
}
