import JSON

/// The active alerts of a site: each one points at a resource whose own record shows the trouble
/// (a 97 %-full datastore, an offline host, a failing disk, a crashlooping pod…), so that
/// `list_alerts` and `get_resource` tell the same story.
extension DemoFleetSite {
    func alerts(_ emit: (DemoFleetItem) throws -> Void) rethrows {
        var ordinal = 0
        func alert(_ code: String, _ resourceID: String, _ severity: String, _ message: String) -> DemoFleetItem {
            var random = random(.alert, ordinal)
            ordinal += 1
            return .record(.alert([
                "id": .string("alert/\(code)/\(resourceID)"), "resourceId": .string(resourceID),
                "severity": .string(severity), "message": .string(message),
                "since": .string(ago(Int64(random.int(in: 5...720)) * 60).description),
            ]))
        }

        try emit(alert(
            "storage-full", datastoreID(1), "critical",
            "Datastore offsite on \(pbsName) is \(percent(datastoreLoad(1))) full; backups to it will fail"))
        try emit(alert(
            "storage-usage", "storage/\(nodeName(1))/local-lvm", "warning",
            "Storage local-lvm on \(nodeName(1)) is 88% full"))
        try emit(alert(
            "host-offline", hostID(Self.offlineHost), "critical",
            "Host \(hostName(Self.offlineHost)) has not reported for 3 hours"))
        for node in 0..<nodeCount where nodeAgents[node] == .stale {
            try emit(alert(
                "agent-stale", nodeID(node), "warning",
                "The Pulse agent on \(nodeName(node)) last reported 47 minutes ago; "
                    + "the node is still seen through the API"))
        }
        try emit(alert(
            "guest-paused", guest(node: 0, slot: 1, isVM: true).id, "info",
            "VM \(guest(node: 0, slot: 1, isVM: true).name) on \(nodeName(0)) is paused"))
        let disk = "sd" + DemoFleetCatalog.letters(Self.degradedDisk)
        try emit(alert(
            "disk-degraded", "disk/\(nasName)/\(disk)", "warning",
            "SMART reports 184 reallocated sectors on \(disk) (pool tank, \(nasName))"))
        try emit(alert(
            "container-oom", containerID(host: 1, slot: 3), "warning",
            "Container \(containerName(host: 1, slot: 3)) on \(dockerHostName(1)) "
                + "was killed for memory (exit code 137)"))
        try emit(alert(
            "service-degraded", "service/\(dockerHostName(0))/\(DemoFleetCatalog.swarmServices[2])", "warning",
            "Swarm service \(named(DemoFleetCatalog.swarmServices[2])) is running fewer replicas than desired"))
        try emit(alert(
            "pod-crashloop", podID(deployment: 2, replica: 0), "warning",
            "Pod \(podName(deployment: 2, replica: 0)) is in CrashLoopBackOff (47 restarts)"))
        try emit(alert(
            "deployment-unavailable", deploymentID(2), "warning",
            "Deployment \(deploymentName(2)) has unavailable replicas"))
        try emit(alert(
            "mail-queue", pmgID, "info", "The mail queue of \(named("pmg-01")) holds 124 messages"))
        try emit(alert(
            "datastore-usage", vSphereDatastoreID(Self.fullVSphereDatastore), "warning",
            "vCenter alarm: datastore vsanDatastore is 91% full"))
    }

    /// `97%`: the load's disk usage at `now`, as a whole percentage.
    private func percent(_ load: DemoFleetLoad) -> String {
        guard let used = load.diskUsed(at: now.secondsSince1970, now: now), let total = load.diskTotal, total > 0
        else { return "?" }
        let fraction: Double = Double(used) / Double(total)
        let whole = Int((fraction * 100).rounded())
        return String(whole) + "%"
    }
}
