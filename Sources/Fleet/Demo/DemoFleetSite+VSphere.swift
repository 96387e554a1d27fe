import JSON

/// The admitted (not supported) vSphere estate of a site, in its phase-1 projections only:
/// ESXi hosts as `agent`, virtual machines as `vm`, datastores as `storage` — no physical
/// disks, no containers, no recovery points, no Pulse agents, no connection.
///
/// It is there so that the read tools have something to leave out by default, and
/// `includeUnsupported` something to label.
extension DemoFleetSite {
    var vCenterName: String { named("vc-01") }
    func esxiName(_ host: Int) -> String { named("esxi-0\(host + 1)") }
    func esxiID(_ host: Int) -> String { "agent/" + esxiName(host) }
    func vSphereDatastoreID(_ store: Int) -> String {
        "storage/\(vCenterName)/\(DemoFleetCatalog.vSphereDatastores[store])"
    }

    /// The datastore whose alarm an alert mirrors: `vsanDatastore`.
    static let fullVSphereDatastore = 1

    func vSphereResources(_ emit: (DemoFleetResource) throws -> Void) rethrows {
        for host in 0..<esxiVMCounts.count {
            var random = random(.esxi, host)
            let name = esxiName(host)
            var resource = DemoFleetResource(
                id: esxiID(host), type: .agent, platform: "vmware-vsphere", name: name, status: .online,
                technology: "esxi", parentID: nil, lastSeen: recently(&random))
            resource.tags = ["prod", "legacy"]
            resource.metrics = DemoFleetLoad(&random, memory: [.gib(384), .gib(512)], disk: nil, busy: 0.2...0.6)
                .metrics(now: now)
            resource.identity = [
                "hostname": .string(name + ".corp.example"), "ip": .string(address(group: 3, host: 11 + host)),
                "vcenter": .string(vCenterName), "clusterName": .string(named("vsan-cluster")),
            ]
            resource.details = ["version": "8.0.3", "build": "24022510", "entryPoint": "vCenter"]
            try emit(resource)
            for slot in 0..<esxiVMCounts[host] {
                try emit(vSphereVM(host: host, slot: slot))
            }
        }
        for store in DemoFleetCatalog.vSphereDatastores.indices {
            var random = random(.datastore, store)
            let full = store == Self.fullVSphereDatastore
            var resource = DemoFleetResource(
                id: vSphereDatastoreID(store), type: .storage, platform: "vmware-vsphere",
                name: DemoFleetCatalog.vSphereDatastores[store], status: full ? .warning : .online,
                technology: ["vmfs", "vsan", "nfs"][store], parentID: nil, lastSeen: recently(&random))
            resource.tags = ["legacy"]
            resource.metrics = DemoFleetLoad(
                &random, memory: nil, disk: [.tib(4), .tib(8)], diskUsage: full ? 0.91...0.91 : 0.3...0.7
            ).metrics(now: now, cpu: false)
            resource.identity = ["datacenter": .string(named("dc-01")), "vcenter": .string(vCenterName)]
            resource.details = ["accessible": true, "hosts": .integer(Int64(esxiVMCounts.count))]
            try emit(resource)
        }
    }

    private func vSphereVM(host: Int, slot: Int) -> DemoFleetResource {
        let ordinal = esxiVMCounts[..<host].reduce(0, +) + slot
        var random = random(.vSphereVM, ordinal)
        // One VM's host connection dropped: vCenter no longer knows its power state.
        let power: DemoFleetResource.Power = host == 2 && slot == 0 ? .unknown
            : random.chance(0.85) ? .running : .stopped
        let name = named(DemoFleetCatalog.name(DemoFleetCatalog.vSphereVMs, at: ordinal))
        let load = DemoFleetLoad(&random, memory: DemoFleetCatalog.legacyVMMemory, disk: DemoFleetCatalog.legacyVMDisk,
                                 running: power == .running)
        var resource = DemoFleetResource(
            id: "vm/\(vCenterName)/vm-\(1_001 + ordinal)", type: .vm, platform: "vmware-vsphere", name: name,
            status: .init(power), power: power, technology: "vmware", parentID: esxiID(host),
            lastSeen: power == .unknown ? ago(2 * 3_600) : recently(&random))
        resource.tags = ["prod", "legacy"]
        resource.metrics = load.metrics(now: now, cpu: power != .unknown)
        resource.identity = ["hostname": .string(name), "moref": .string("vm-\(1_001 + ordinal)")]
        resource.details = [
            "guestOs": .string(name.hasPrefix("test-rhel") ? "rhel9_64Guest" : "windows2019srv_64Guest"),
            "datastore": .string(DemoFleetCatalog.vSphereDatastores[ordinal % 2]),
        ]
        return resource
    }
}
