import JSON

/// The PVE cluster's Ceph pool, the Backup Server with its datastores, and the Mail Gateway.
extension DemoFleetSite {
    /// The Ceph pool belongs to the cluster, not to a node, and PVE has no cluster resource
    /// type: it is a root, named by the cluster in its identity.
    func ceph() -> DemoFleetResource {
        var random = random(.ceph)
        let load = cephLoad
        var resource = DemoFleetResource(
            id: cephID, type: .ceph, platform: "proxmox-pve", name: "rbd", status: .online, technology: "rbd",
            parentID: nil, lastSeen: recently(&random))
        resource.tags = ["prod", "ha"]
        resource.metrics = load.metrics(now: now, cpu: false)
        resource.identity = ["clusterName": .string(clusterName), "fsid": .string(random.machineID())]
        resource.details = ["health": "HEALTH_OK", "replicas": 3, "osds": .integer(Int64(nodeCount * 2))]
        return resource
    }

    var cephLoad: DemoFleetLoad {
        var random = random(.ceph, 1)
        return DemoFleetLoad(&random, memory: nil, disk: [.tib(12), .tib(24)], diskUsage: 0.4...0.6)
    }

    var pbsLoad: DemoFleetLoad {
        var random = random(.pbs)
        return DemoFleetLoad(&random, memory: [.gib(32), .gib(64)], disk: [.gib(64)], busy: 0.05...0.2)
    }

    /// Datastore 0 (`main`) is healthy; datastore 1 (`offsite`) is the full one an alert points at.
    func datastoreLoad(_ store: Int) -> DemoFleetLoad {
        var random = random(.pbs, 1 + store)
        return DemoFleetLoad(
            &random, memory: nil, disk: store == 0 ? [.tib(16), .tib(32)] : [.tib(8)],
            diskUsage: store == 0 ? 0.45...0.7 : 0.97...0.97)
    }

    func proxmoxServices(_ emit: (DemoFleetResource) throws -> Void) rethrows {
        var random = random(.pbs, 10)
        var pbs = DemoFleetResource(
            id: pbsID, type: .pbs, platform: "proxmox-pbs", name: pbsName, status: .online, technology: "pbs",
            parentID: nil, lastSeen: recently(&random))
        pbs.tags = ["backup"]
        pbs.metrics = pbsLoad.metrics(now: now)
        pbs.identity = [
            "hostname": .string(pbsName), "ip": .string(address(group: 1, host: 20)),
            "machineId": .string(random.machineID()),
        ]
        pbs.details = ["version": "3.3.2", "datastores": 2]
        try emit(pbs)
        for store in 0..<2 {
            let name = store == 0 ? "main" : "offsite"
            var datastore = DemoFleetResource(
                id: datastoreID(store), type: .storage, platform: "proxmox-pbs", name: name,
                status: store == 0 ? .online : .warning, technology: "pbs-datastore", parentID: pbsID,
                lastSeen: recently(&random))
            datastore.tags = ["backup"]
            datastore.metrics = datastoreLoad(store).metrics(now: now, cpu: false)
            datastore.details = [
                "path": .string("/mnt/datastore/" + name), "gcSchedule": "daily", "pruneKeepDaily": 7,
                "verifySchedule": store == 0 ? "weekly" : "none",
            ]
            try emit(datastore)
        }
        var pmgRandom = self.random(.pmg)
        let pmgName = named("pmg-01")
        var pmg = DemoFleetResource(
            id: pmgID, type: .pmg, platform: "proxmox-pmg", name: pmgName, status: .online, technology: "pmg",
            parentID: nil, lastSeen: recently(&pmgRandom))
        pmg.tags = ["prod", "mail"]
        pmg.metrics = DemoFleetLoad(&pmgRandom, memory: [.gib(8)], disk: [.gib(64)], busy: 0.02...0.1)
            .metrics(now: now)
        pmg.identity = [
            "hostname": .string(pmgName), "ip": .string(address(group: 1, host: 25)),
            "machineId": .string(pmgRandom.machineID()),
        ]
        pmg.details = ["version": "8.1.4", "mailQueue": 124, "spamToday": 1_873, "virusToday": 3]
        try emit(pmg)
    }

    /// A physical disk of `host`, of one of `models`, named as Linux names it (`nvme0n1`, `sdb`);
    /// a degraded one reports SMART trouble and a `warning` status.
    func physicalDisk(
        host: String, slot: Int, platform: String, parentID: String, models: [DemoFleetCatalog.DiskModel],
        random: DemoFleetRandom, degraded: Bool = false
    ) -> DemoFleetResource {
        var random = random
        let model = random.pick(models)
        let name = model.technology == "nvme" ? "nvme\(slot)n1" : "sd" + DemoFleetCatalog.letters(slot)
        let id = "disk/\(host)/\(name)"
        var disk = DemoFleetResource(
            id: id, type: .physicalDisk, platform: platform, name: name, status: degraded ? .warning : .online,
            technology: model.technology, parentID: parentID, lastSeen: recently(&random))
        disk.metrics.diskTotal = model.bytes
        disk.identity = ["serial": .string("S" + DemoFleetRandom.hex(random.next(), width: 12).uppercased())]
        disk.details = [
            "model": .string(model.model), "smart": .string(degraded ? "FAILING" : "PASSED"),
            "temperatureCelsius": .integer(Int64(random.int(in: 28...46))),
            "wearoutPercent": .integer(Int64(model.technology == "hdd" ? 0 : random.int(in: 1...18))),
            "reallocatedSectors": .integer(degraded ? 184 : 0),
        ]
        return disk
    }
}
