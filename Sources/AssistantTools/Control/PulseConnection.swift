import ControlEndpoints
import Policy

/// The Pulse server the `pulse` route acts through: who it is in decisions (``server``), and the
/// lifecycle calls go to (``lifecycle``, which holds the token: nothing here does).
///
/// Given by the operator's configuration (`serve --pulse-url`, the same Pulse the store is synced
/// from); with none, actions on synced resources are refused (`executor_unavailable`).
public struct PulseConnection: Sendable {
    public var server: ControlEndpoint.PulseServer
    public var lifecycle: any PulseLifecycle

    public init(server: ControlEndpoint.PulseServer, lifecycle: any PulseLifecycle) {
        self.server = server
        self.lifecycle = lifecycle
    }
}
