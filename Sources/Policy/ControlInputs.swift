/// Everything ``ControlPolicy/decide(_:manifest:)`` looks at, as values: no store, no clock, no I/O.
public struct ControlInputs: Sendable, Equatable {
    /// The resource, or `nil` when the store has none with ``requestedResourceId``.
    public var target: ControlTarget?
    /// The id the caller asked for, kept for the not-found message.
    public var requestedResourceId: String
    public var action: ControlAction
    /// The desired replica count; only `scale` reads it.
    public var replicas: Int?
    public var level: ControlLevel
    public var agents: [ControlEndpoint.Agent]
    public var connections: [ControlEndpoint.Connection]
    /// The Pulse server this assistant may act through; nil when the operator configured none.
    public var pulseServer: ControlEndpoint.PulseServer?
    /// The injected clock's reading, in seconds.
    public var now: Double
    /// An agent whose heartbeat is older than this many seconds is stale.
    public var heartbeatWindow: Double

    public static let defaultHeartbeatWindow: Double = 300

    public init(
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
