import JSON

/// The TrueNAS appliance and the plain Linux hosts that run a Pulse agent (the `agent` platform).
extension DemoFleetSite {
    var nasName: String { named("nas-01") }
    var nasID: String { "agent/" + nasName }
    static let poolNames = ["tank", "fast"]
    func poolID(_ pool: Int) -> String { "storage/\(nasName)/\(Self.poolNames[pool])" }
    /// The TrueNAS disk whose SMART data says it is failing: `sdc`.
    static let degradedDisk = 2

    func hostName(_ host: Int) -> String { named(DemoFleetCatalog.name(DemoFleetCatalog.agentHosts, at: host)) }
    func hostID(_ host: Int) -> String { "agent/" + hostName(host) }
    /// The host that went offline three hours ago (its agent's heartbeat is as old): `build-01`.
    static let offlineHost = 2

    /// Whether the host has a separate `/srv` data volume besides its root file system (about half do).
    func hostHasDataVolume(_ host: Int) -> Bool {
        var random = random(.hostStorage, host * 8 + 7)
        return random.chance(0.5)
    }

    func nasLoad() -> DemoFleetLoad {
        var random = random(.nas)
        return DemoFleetLoad(&random, memory: [.gib(64), .gib(128)], disk: [.gib(64)], busy: 0.05...0.25)
    }

    func poolLoad(_ pool: Int) -> DemoFleetLoad {
        var random = random(.nasPool, pool)
        return DemoFleetLoad(&random, memory: nil, disk: pool == 0 ? [.tib(48), .tib(72)] : [.tib(2), .tib(4)],
                             diskUsage: 0.35...0.8)
    }

    func hostLoad(_ host: Int) -> DemoFleetLoad {
        var random = random(.host, host)
        return DemoFleetLoad(&random, memory: [.gib(8), .gib(16), .gib(32), .gib(64)], disk: [.gib(256), .gib(512)],
                             busy: 0.05...0.5)
    }

    func trueNASResources(_ emit: (DemoFleetResource) throws -> Void) rethrows {
        var random = random(.nas, 1)
        var nas = DemoFleetResource(
            id: nasID, type: .agent, platform: "truenas", name: nasName, status: .online, technology: "truenas-scale",
            parentID: nil, lastSeen: recently(&random))
        nas.tags = ["prod", "backup", "media"]
        nas.metrics = nasLoad().metrics(now: now)
        nas.identity = [
            "hostname": .string(nasName), "ip": .string(address(group: 2, host: 10)),
            "machineId": .string(random.machineID()),
        ]
        nas.details = ["platformType": "truenas", "version": "24.10.1", "pools": 2]
        try emit(nas)
        for pool in 0..<2 {
            var storage = DemoFleetResource(
                id: poolID(pool), type: .storage, platform: "truenas", name: Self.poolNames[pool], status: .online,
                technology: "zfs", parentID: nasID, lastSeen: recently(&random))
            storage.tags = ["backup"]
            storage.metrics = poolLoad(pool).metrics(now: now, cpu: false)
            storage.details = ["health": "ONLINE", "layout": .string(pool == 0 ? "raidz2" : "mirror")]
            try emit(storage)
        }
        for disk in 0..<6 {
            var resource = physicalDisk(
                host: nasName, slot: disk, platform: "truenas", parentID: nasID,
                models: disk < 4 ? DemoFleetCatalog.hardDisks : DemoFleetCatalog.sataFlashDisks,
                random: self.random(.nasDisk, disk), degraded: disk == Self.degradedDisk)
            resource.details["pool"] = .string(disk < 4 ? "tank" : "fast")
            try emit(resource)
        }
        for app in 0..<appCount {
            var appRandom = self.random(.nasApp, app)
            let power: DemoFleetResource.Power = app == 4 ? .stopped : .running
            let name = named(DemoFleetCatalog.trueNASApps[app])
            var resource = DemoFleetResource(
                id: "app/\(nasName)/\(DemoFleetCatalog.trueNASApps[app])", type: .appContainer, platform: "truenas",
                name: name, status: .init(power), power: power, technology: "truenas-app", parentID: nasID,
                lastSeen: recently(&appRandom))
            resource.tags = ["media"]
            let load = DemoFleetLoad(&appRandom, memory: [.gib(2), .gib(4)], disk: nil, running: power == .running)
            resource.metrics = load.metrics(now: now)
            resource.details = ["catalogApp": .string(DemoFleetCatalog.trueNASApps[app]), "train": "community"]
            try emit(resource)
        }
    }

    func agentHostResources(_ emit: (DemoFleetResource) throws -> Void) rethrows {
        for host in 0..<hostCount {
            var random = random(.host, host + 100)
            let name = hostName(host)
            let offline = host == Self.offlineHost
            let seen = offline ? ago(3 * 3_600) : recently(&random)
            var resource = DemoFleetResource(
                id: hostID(host), type: .agent, platform: "agent", name: name, status: offline ? .offline : .online,
                technology: "linux", parentID: nil, lastSeen: seen)
            resource.tags = name.hasPrefix("gpu") ? ["prod", "gpu"] : ["prod"]
            resource.metrics = hostLoad(host).metrics(now: now, cpu: !offline)
            resource.identity = [
                "hostname": .string(name), "ip": .string(address(group: 2, host: 41 + host)),
                "machineId": .string(random.machineID()),
            ]
            resource.details = ["os": .string(random.pick(["Debian 12", "Ubuntu 24.04", "Rocky Linux 9"])),
                                "kernel": "6.1.0-28-amd64"]
            try emit(resource)
            let childStatus: DemoFleetResource.Status = offline ? .unknown : .online
            let volumes = hostHasDataVolume(host) ? ["root", "data"] : ["root"]
            for (slot, volume) in volumes.enumerated() {
                var storeRandom = self.random(.hostStorage, host * 8 + slot)
                var storage = DemoFleetResource(
                    id: "storage/\(name)/\(volume)", type: .storage, platform: "agent", name: volume,
                    status: childStatus,
                    technology: slot == 0 ? "ext4" : "xfs", parentID: hostID(host), lastSeen: seen)
                storage.metrics = DemoFleetLoad(&storeRandom, memory: nil, disk: [.gib(100), .gib(2_000)])
                    .metrics(now: now, cpu: false)
                storage.details = ["mountpoint": .string(slot == 0 ? "/" : "/srv")]
                try emit(storage)
            }
            for disk in 0..<(1 + host % 2) {
                var resource = physicalDisk(
                    host: name, slot: disk, platform: "agent", parentID: hostID(host),
                    models: DemoFleetCatalog.flashDisks, random: self.random(.hostDisk, host * 8 + disk))
                resource.status = childStatus
                resource.lastSeen = seen
                try emit(resource)
            }
        }
    }
}
