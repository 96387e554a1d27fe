import ControlEndpoints
import Policy

/// The Pulse server the `pulse` route acts through: who it is in decisions (``server``), and the
/// lifecycle calls go to (``lifecycle``, which holds the token: nothing here does).
///
/// Given by the operator's configuration (`serve --pulse-url`, the same Pulse the store is synced
/// from); with none, actions on synced resources are refused (`executor_unavailable`).
package struct PulseConnection: Sendable {
    package var server: ControlEndpoint.PulseServer
    package var lifecycle: any PulseLifecycle

    package init(server: ControlEndpoint.PulseServer, lifecycle: any PulseLifecycle) {
        self.server = server
        self.lifecycle = lifecycle
    }
}
