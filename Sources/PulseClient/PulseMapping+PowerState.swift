import Fleet
import JSON

extension PulseMapping {
    /// A workload's power state from the first facet that reports one: `proxmox.runtimeStatus`,
    /// `docker.containerState`, `kubernetes.podPhase`, `vmware.powerState`, `truenas.app.state`.
    /// Pulse's `status` is health, not power (`statusFromGuest` maps stopped and paused both to
    /// offline), so it is not consulted. A word we cannot place is `unknown`, with a note.
    static func powerState(_ row: JSONObject, notes: inout [String]) -> String {
        let reports: [(field: String, value: String?, map: (String) -> PowerState?)] = [
            ("proxmox.runtimeStatus", row.object("proxmox")?.text("runtimeStatus"), proxmoxState),
            ("docker.containerState", row.object("docker")?.text("containerState"), dockerState),
            ("kubernetes.podPhase", row.object("kubernetes")?.text("podPhase"), podPhase),
            ("vmware.powerState", row.object("vmware")?.text("powerState"), vmwareState),
            ("truenas.app.state", row.object("truenas")?.object("app")?.text("state"), trueNASAppState),
        ]
        for report in reports {
            guard let value = report.value else { continue }
            if let state = report.map(value.lowercased()) { return state.rawValue }
            notes.append("\(report.field) \"\(value)\" is not a power state this mapping knows; stored as unknown")
            return PowerState.unknown.rawValue
        }
        return PowerState.unknown.rawValue
    }

    private static func proxmoxState(_ word: String) -> PowerState? {
        switch word {
        case "running": .running
        case "stopped": .stopped
        case "paused", "suspended": .paused
        case "unknown": .unknown
        default: nil
        }
    }

    /// Docker's container states; `restarting` is between states, so it is unknown.
    private static func dockerState(_ word: String) -> PowerState? {
        switch word {
        case "running": .running
        case "paused": .paused
        case "exited", "created", "dead", "removing", "stopped": .stopped
        case "restarting", "unknown": .unknown
        default: nil
        }
    }

    /// A pod's phase: `Succeeded` and `Failed` pods have stopped; `Pending` ones have not started yet.
    private static func podPhase(_ word: String) -> PowerState? {
        switch word {
        case "running": .running
        case "succeeded", "failed": .stopped
        case "pending", "unknown": .unknown
        default: nil
        }
    }

    /// vSphere's `POWERED_ON` / `POWERED_OFF` / `SUSPENDED` (and the SOAP API's `poweredOn` forms).
    private static func vmwareState(_ word: String) -> PowerState? {
        switch word.replacingUnderscores() {
        case "poweredon": .running
        case "poweredoff": .stopped
        case "suspended": .paused
        default: nil
        }
    }

    /// TrueNAS app states (`RUNNING`, `STOPPED`, `DEPLOYING`, `CRASHED`, `STOPPING`).
    private static func trueNASAppState(_ word: String) -> PowerState? {
        switch word {
        case "running": .running
        case "stopped", "crashed": .stopped
        case "deploying", "stopping": .unknown
        default: nil
        }
    }
}

extension String {
    /// The string without `_`: `powered_on` → `poweredon`.
    fileprivate func replacingUnderscores() -> String {
        String(filter { $0 != "_" })
    }
}
