import JSON

/// The Pulse agents and platform connections of a site: the executors control will be routed to.
///
/// Endpoints are Unix sockets that `pulse-assistant endpoint --demo` binds reference endpoints to
/// (DESIGN §6): agents on `unix:<dir>/<host>.sock`, connections on `unix:<dir>/<platform>-<name>.sock`
/// (`/tmp/pulse-demo` unless the fleet is given another directory). Sockets rather than fixed TCP
/// ports, so that several demos and replays can each have their own. No token is ever in a snapshot.
extension DemoFleetSite {
    static let agentVersion = "6.3.0"

    func agents(_ emit: (DemoFleetItem) throws -> Void) rethrows {
        for node in 0..<nodeCount where nodeAgents[node] != .absent {
            let state = nodeAgents[node]
            try emit(agent(
                host: nodeName(node), hostResourceID: nodeID(node), commandsEnabled: state != .commandsDisabled,
                heartbeatAge: state == .stale ? 47 * 60 : nil, position: node))
        }
        for host in 0..<3 {
            try emit(agent(host: dockerHostName(host), hostResourceID: dockerHostID(host), position: 100 + host))
        }
        // The Kubernetes agent runs in the cluster and reports it as a whole: its host is the cluster,
        // which every deployment and (through its node) every pod has as an ancestor.
        try emit(agent(host: k8sClusterName, hostResourceID: k8sClusterID, position: 200))
        for host in 0..<hostCount {
            try emit(agent(
                host: hostName(host), hostResourceID: hostID(host),
                heartbeatAge: host == Self.offlineHost ? 3 * 3_600 : nil, position: 300 + host))
        }
    }

    /// Platform connections: TrueNAS (supported, control through its API), PVE (augmentation-only:
    /// its API connection may be allowed to control, and the policy must still never use it), PBS
    /// and PMG (read-only: their connections cannot control).
    func connections(_ emit: (DemoFleetItem) throws -> Void) rethrows {
        let rows: [(id: String, platform: String, root: String, control: Bool)] = [
            ("truenas/" + nasName, "truenas", nasID, true),
            ("proxmox-pve/" + clusterName, "proxmox-pve", nodeID(0), true),
            ("proxmox-pbs/" + pbsName, "proxmox-pbs", pbsID, false),
            ("proxmox-pmg/" + named("pmg-01"), "proxmox-pmg", pmgID, false),
        ]
        for row in rows {
            try emit(.record(.connection([
                "id": .string(row.id), "platform": .string(row.platform), "rootResourceId": .string(row.root),
                "endpoint": .string("unix:\(endpointDirectory)/\(row.id.split(separator: "/").joined(separator: "-")).sock"),
                "controlEnabled": .bool(row.control),
            ])))
        }
    }

    /// One agent record; `heartbeatAge` (seconds) makes it stale, otherwise it beat within 30 s.
    private func agent(
        host: String, hostResourceID: String, commandsEnabled: Bool = true, heartbeatAge: Int64? = nil,
        position: Int
    ) -> DemoFleetItem {
        var random = random(.agent, position)
        let age = heartbeatAge ?? Int64(random.int(in: 0...30))
        return .record(.agent([
            "id": .string("pulse-agent/" + host), "hostResourceId": .string(hostResourceID),
            "endpoint": .string("unix:\(endpointDirectory)/\(host).sock"), "commandsEnabled": .bool(commandsEnabled),
            "lastHeartbeat": .string(ago(age).description),
            "version": .string(random.chance(0.8) ? Self.agentVersion : "6.2.4"),
        ]))
    }
}
