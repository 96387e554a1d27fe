import Policy

/// What the operator decided about control: the level, the windows and deadlines, and where endpoint
/// tokens come from. Set by flags, the environment or the config file; no tool argument reaches it.
package struct ControlSettings: Sendable {
    package var level: ControlLevel
    /// An agent whose last heartbeat is older than this, by the server's clock, cannot take actions.
    package var heartbeatWindowSeconds: Double
    /// How long connecting to an endpoint and its `hello` may take; past it nothing has been sent.
    package var connectTimeoutMilliseconds: Int
    /// How long an endpoint has to answer `control.execute`; past it the action is `unknown`.
    package var actionDeadlineMilliseconds: Int
    /// How long a human has to answer an approval request under `controlled`.
    package var approvalTimeoutSeconds: Double
    package var tokens: EndpointTokens
    /// On the `pulse` route: how long Pulse's `execute` may block (a guest shutdown takes minutes), and
    /// then how long the dispatcher keeps asking `GET /api/actions/{id}` after a timeout or a drop.
    package var pulse: PulseTiming

    package init(
        level: ControlLevel = .default,
        heartbeatWindowSeconds: Double = ControlInputs.defaultHeartbeatWindow,
        connectTimeoutMilliseconds: Int = 3_000,
        actionDeadlineMilliseconds: Int = 30_000,
        approvalTimeoutSeconds: Double = 300,
        tokens: EndpointTokens = EndpointTokens(),
        pulse: PulseTiming = PulseTiming()
    ) {
        self.level = level
        self.heartbeatWindowSeconds = heartbeatWindowSeconds
        self.connectTimeoutMilliseconds = connectTimeoutMilliseconds
        self.actionDeadlineMilliseconds = actionDeadlineMilliseconds
        self.approvalTimeoutSeconds = approvalTimeoutSeconds
        self.tokens = tokens
        self.pulse = pulse
    }
}
