/// A control action a caller may ask for (DESIGN §4), and which resource types allow it.
///
/// | type | actions |
/// | --- | --- |
/// | `vm`, `system-container` | start, stop, shutdown, reboot |
/// | `app-container` | start, stop, restart, update |
/// | `k8s-deployment` | restart, scale (`replicas`) |
/// | `pod` | delete |
/// | `agent` | reboot, install_os_updates, clean_package_cache |
///
/// Anything else is refused as not applicable. `update` (a container's image), `install_os_updates` and
/// `clean_package_cache` are Pulse's own actions (`PULSE_API.md` §4.4): the class of the owning platform
/// still decides whether they may run at all, and Pulse's live capabilities whether they can run now.
package enum ControlAction: String, CaseIterable, Sendable, Codable, Hashable {
    case start
    case stop
    case shutdown
    case reboot
    case restart
    case scale
    case delete
    /// Pulls the container's newer image and recreates it (Pulse keeps a backup to roll back to).
    case update
    /// Installs the host's pending OS package upgrades (apt), without removing packages or rebooting.
    case installOSUpdates = "install_os_updates"
    /// Reclaims the host's package cache.
    case cleanPackageCache = "clean_package_cache"

    /// The actions a resource of `type` allows, in declaration order; empty for types that take none.
    package static func actions(for type: ResourceType) -> [ControlAction] {
        switch type {
        case .vm, .systemContainer: [.start, .stop, .shutdown, .reboot]
        case .appContainer: [.start, .stop, .restart, .update]
        case .k8sDeployment: [.restart, .scale]
        case .pod: [.delete]
        case .agent: [.reboot, .installOSUpdates, .cleanPackageCache]
        case .dockerService, .k8sCluster, .k8sNode, .storage, .ceph, .physicalDisk, .pbs, .pmg: []
        }
    }

    /// Whether a resource of `type` allows this action.
    package func isApplicable(to type: ResourceType) -> Bool {
        Self.actions(for: type).contains(self)
    }

    /// Why this action cannot run in `powerState`, or `nil` when the state does not rule it out.
    ///
    /// Only the states that make an action meaningless are judged (`start` on a running resource, a stop
    /// on a stopped one); an unknown or absent state leaves the decision to the executor.
    package func conflict(withPowerState powerState: String?) -> String? {
        guard let state = powerState?.lowercased() else { return nil }
        switch (self, state) {
        case (.start, "running"): return "it is already running"
        case (.stop, "stopped"), (.shutdown, "stopped"), (.reboot, "stopped"): return "it is stopped"
        default: return nil
        }
    }
}
