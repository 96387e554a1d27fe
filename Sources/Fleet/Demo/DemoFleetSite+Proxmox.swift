import JSON

/// The Proxmox family of a site: a PVE cluster of hybrid nodes, a Backup Server, a Mail Gateway.
extension DemoFleetSite {
    /// What the other sections need to know about one PVE guest.
    struct Guest {
        let node: Int
        let isVM: Bool
        let vmid: Int
        let name: String
        let power: DemoFleetResource.Power
        let load: DemoFleetLoad
        let tags: [String]
        /// Whether a PBS job backs it up (most guests; scratch boxes are left out).
        let backedUp: Bool
        let id: String
    }

    var clusterName: String { named("lab") }
    func nodeName(_ node: Int) -> String { nodeNames[node] }
    func nodeID(_ node: Int) -> String { "agent/" + nodeName(node) }
    var cephID: String { "ceph/\(clusterName)/rbd" }
    var pbsName: String { named("pbs-01") }
    var pbsID: String { "pbs/" + pbsName }
    func datastoreID(_ store: Int) -> String { "storage/\(pbsName)/" + (store == 0 ? "main" : "offsite") }
    var pmgID: String { "pmg/" + named("pmg-01") }

    /// The guest in `slot` of `node`'s VMs (or containers); one VM of the whole cluster is paused.
    func guest(node: Int, slot: Int, isVM: Bool) -> Guest {
        let vmid = (isVM ? vmBase[node] : containerBase[node]) + slot
        var random = random(.pveGuest, vmid)
        let ordinal = vmid - (isVM ? 101 : 501)
        let names = isVM ? DemoFleetCatalog.pveVMs : DemoFleetCatalog.pveContainers
        let name = named(DemoFleetCatalog.name(names, at: ordinal))
        let power: DemoFleetResource.Power = isVM && node == 0 && slot == 1 ? .paused
            : random.chance(0.85) ? .running : .stopped
        let load = DemoFleetLoad(
            &random, memory: isVM ? DemoFleetCatalog.vmMemory : DemoFleetCatalog.containerMemory,
            disk: isVM ? DemoFleetCatalog.vmDisk : DemoFleetCatalog.containerDisk,
            running: power == .running
        )
        var tags = [random.pick(DemoFleetCatalog.guestEnvironments)]
        let catalogTags = isVM ? DemoFleetCatalog.vmNameTags : DemoFleetCatalog.containerNameTags
        tags += catalogTags[ordinal % catalogTags.count]
        let backedUp = random.chance(0.8)
        if backedUp { tags.append("backup") }
        let id = (isVM ? "vm/" : "ct/") + nodeName(node) + "/" + String(vmid)
        return Guest(node: node, isVM: isVM, vmid: vmid, name: name, power: power, load: load, tags: tags,
                     backedUp: backedUp, id: id)
    }

    /// Every guest of the cluster, node by node, VMs before containers.
    func forEachGuest(_ body: (Guest) throws -> Void) rethrows {
        for node in 0..<nodeCount {
            for slot in 0..<vmCounts[node] { try body(guest(node: node, slot: slot, isVM: true)) }
            for slot in 0..<containerCounts[node] { try body(guest(node: node, slot: slot, isVM: false)) }
        }
    }

    func nodeLoad(_ node: Int) -> DemoFleetLoad {
        var random = random(.pveNode, node)
        return DemoFleetLoad(&random, memory: [.gib(128), .gib(192), .gib(256)], disk: [.gib(512), .gib(960)],
                             busy: 0.15...0.5)
    }

    // MARK: - Resources

    func proxmoxResources(_ emit: (DemoFleetResource) throws -> Void) rethrows {
        for node in 0..<nodeCount {
            try emit(pveNode(node))
            for (slot, name) in ["local", "local-lvm"].enumerated() {
                var random = random(.pveStorage, node * 8 + slot)
                // local-lvm on pve-b is the near-full one an alert points at.
                let usage = node == 1 && slot == 1 ? 0.88...0.88 : 0.2...0.7
                let load = DemoFleetLoad(&random, memory: nil, disk: [.gib(512), .gib(1024)], diskUsage: usage)
                var storage = DemoFleetResource(
                    id: "storage/\(nodeName(node))/\(name)", type: .storage, platform: "proxmox-pve", name: name,
                    status: .online, technology: slot == 0 ? "dir" : "lvmthin", parentID: nodeID(node),
                    lastSeen: recently(&random))
                storage.metrics = load.metrics(now: now, cpu: false)
                storage.details = ["content": slot == 0 ? "iso,vztmpl,backup" : "images,rootdir", "shared": false]
                try emit(storage)
            }
            for disk in 0..<diskCounts[node] {
                try emit(physicalDisk(
                    host: nodeName(node), slot: disk, platform: "proxmox-pve", parentID: nodeID(node),
                    models: DemoFleetCatalog.flashDisks, random: random(.pveDisk, node * 16 + disk)))
            }
            for slot in 0..<vmCounts[node] { try emit(pveGuest(guest(node: node, slot: slot, isVM: true))) }
            for slot in 0..<containerCounts[node] { try emit(pveGuest(guest(node: node, slot: slot, isVM: false))) }
        }
        try emit(ceph())
        try proxmoxServices(emit)
    }

    private func pveNode(_ node: Int) -> DemoFleetResource {
        var random = random(.pveNode, node)
        let name = nodeName(node)
        var resource = DemoFleetResource(
            id: nodeID(node), type: .agent, platform: "proxmox-pve", name: name, status: .online,
            technology: "pve", parentID: nil, lastSeen: recently(&random))
        resource.tags = node == 0 ? ["prod", "ha"] : ["prod"]
        resource.metrics = nodeLoad(node).metrics(now: now)
        resource.identity = [
            "hostname": .string(name), "ip": .string(address(group: 1, host: 11 + node)),
            "clusterName": .string(clusterName), "machineId": .string(random.machineID()),
            "nodeName": .string(name),
        ]
        if nodeAgents[node] != .absent { resource.sources = ["proxmox-pve", "agent"] }
        resource.details = ["platformType": "pve-node", "pveVersion": "8.3.2", "kernel": "6.8.12-4-pve"]
        return resource
    }

    private func pveGuest(_ guest: Guest) -> DemoFleetResource {
        var random = random(.pveGuest, guest.vmid + 100_000)
        var resource = DemoFleetResource(
            id: guest.id, type: guest.isVM ? .vm : .systemContainer, platform: "proxmox-pve", name: guest.name,
            status: .init(guest.power), power: guest.power, technology: guest.isVM ? "qemu" : "lxc",
            parentID: nodeID(guest.node), lastSeen: recently(&random))
        resource.tags = guest.tags
        resource.metrics = guest.load.metrics(now: now)
        resource.identity = [
            // VMs take .100–.167 and containers .170–.233 of site 0's 192.0.2.0/24.
            "hostname": .string(guest.name),
            "ip": .string(address(group: 1, host: guest.isVM ? guest.vmid - 1 : guest.vmid - 331)),
            "clusterName": .string(clusterName),
        ]
        resource.details = [
            "vmid": .integer(Int64(guest.vmid)), "cores": .integer(random.pick(DemoFleetCatalog.guestCores)),
            "ostype": .string(random.pick(guest.isVM ? DemoFleetCatalog.vmOSTypes : DemoFleetCatalog.containerOSTypes)),
        ]
        return resource
    }
}
