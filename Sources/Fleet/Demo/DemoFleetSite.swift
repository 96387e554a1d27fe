/// One site of the demo fleet: the base mix of platforms that `scale` repeats.
///
/// A site is a plan of counts and designations drawn from the site's own generator, small
/// enough to rebuild for every section of the snapshot. Each entity's facts (name, power state,
/// load) are then a pure function of the fleet seed, the site index and the entity's position,
/// which is how the alerts, recovery points and metric history of a site agree with its
/// resources without any of them being kept in memory.
///
/// Site 0 is the demo a person reads: its names carry no suffix and its Proxmox VE cluster has
/// exactly one node of each agent situation. Site *k* ≥ 1 suffixes every host, cluster and
/// workload name with `-s<k>` (`pve-a-s12`, `web-01-s12`), so ids and names stay unique.
struct DemoFleetSite {
    /// How a PVE node stands with its augmenting Pulse agent (the hybrid situations issue 4 routes on).
    enum AgentState: Equatable {
        case healthy
        case commandsDisabled
        case stale
        case absent
    }

    /// Entity kinds, the second coordinate of every entity's generator key. Values are part of the
    /// output: renumbering one changes every fleet.
    enum Kind: Int {
        case plan = 1, pveNode, pveGuest, pveStorage, pveDisk, ceph, pbs, pmg
        case dockerHost, container, service, k8sCluster, k8sNode, deployment, pod
        case nas, nasPool, nasDisk, nasApp, host, hostStorage, hostDisk, esxi, vSphereVM, datastore
        case backup, snapshot, alert, agent
    }

    let seed: UInt64
    let index: Int
    let now: Timestamp
    /// The directory of the endpoints' Unix sockets.
    let endpointDirectory: String
    /// Shared by every site of a fleet: formats the instants that go into ids.
    let time: DemoFleetTimeFormatter
    /// `""` on site 0, `-s<k>` elsewhere.
    let suffix: String

    // Proxmox VE: one cluster of 3–4 nodes.
    let nodeAgents: [AgentState]
    /// `pve-a`, `pve-b`… (suffixed), named once: every guest, disk and storage id repeats them.
    let nodeNames: [String]
    let vmCounts: [Int]
    let containerCounts: [Int]
    let diskCounts: [Int]
    /// The first VMID of each node's VMs and containers (VMIDs are unique across a cluster).
    let vmBase: [Int]
    let containerBase: [Int]

    // Docker: docker-01 (Swarm manager), docker-02, podman-01.
    let dockerContainerCounts: [Int]
    let serviceCount: Int

    // Kubernetes: one cluster, one control-plane node and some workers.
    let workerCount: Int
    let replicas: [Int]

    let appCount: Int
    let hostCount: Int
    let esxiVMCounts: [Int]

    init(seed: UInt64, index: Int, now: Timestamp, time: DemoFleetTimeFormatter, endpointDirectory: String) {
        self.seed = seed
        self.index = index
        self.now = now
        self.time = time
        self.endpointDirectory = endpointDirectory
        suffix = index == 0 ? "" : "-s\(index)"
        var random = DemoFleetRandom.keyed(seed, index, Kind.plan.rawValue)
        if index == 0 {
            nodeAgents = [.healthy, .commandsDisabled, .stale, .absent]
        } else {
            let middle = (0..<random.int(in: 1...2)).map { _ -> AgentState in
                random.pick([.healthy, .healthy, .commandsDisabled, .stale])
            }
            nodeAgents = [.healthy] + middle + [.absent]
        }
        let nodes = nodeAgents.count
        let suffix = suffix
        nodeNames = (0..<nodes).map { "pve-" + DemoFleetCatalog.letters($0) + suffix }
        let vms = (0..<nodes).map { _ in random.int(in: 13...17) }
        let containers = (0..<nodes).map { _ in random.int(in: 12...16) }
        vmCounts = vms
        containerCounts = containers
        diskCounts = (0..<nodes).map { _ in random.int(in: 2...4) }
        vmBase = vms.indices.map { 101 + vms[..<$0].reduce(0, +) }
        containerBase = containers.indices.map { 501 + containers[..<$0].reduce(0, +) }
        dockerContainerCounts = (0..<3).map { _ in random.int(in: 12...18) }
        serviceCount = random.int(in: 5...7)
        workerCount = random.int(in: 2...4)
        replicas = (0..<random.int(in: 10...14)).map { _ in random.int(in: 1...5) }
        appCount = random.int(in: 5...7)
        hostCount = random.int(in: 4...6)
        esxiVMCounts = (0..<3).map { _ in random.int(in: 7...11) }
    }

    var nodeCount: Int { nodeAgents.count }

    /// Every resource of the site, parents before children: Proxmox, Docker, Kubernetes, TrueNAS,
    /// Pulse-agent hosts, vSphere.
    func resources(_ emit: (DemoFleetResource) throws -> Void) rethrows {
        try proxmoxResources(emit)
        try dockerResources(emit)
        try kubernetesResources(emit)
        try trueNASResources(emit)
        try agentHostResources(emit)
        try vSphereResources(emit)
    }

    /// How many resources ``resources(_:)`` emits, from the plan alone.
    ///
    /// (Summed one term at a time: a single long `+` chain of `reduce`s sends the type checker
    /// into minutes of overload search.)
    var resourceCount: Int {
        var count = nodeCount * 3 + 5  // nodes, their two storages; Ceph, PBS and its two datastores, PMG
        count += Self.sum(diskCounts)
        count += Self.sum(vmCounts)
        count += Self.sum(containerCounts)
        count += 3 + Self.sum(dockerContainerCounts) + serviceCount
        count += 1 + k8sNodeCount + replicas.count
        count += Self.sum(replicas)
        count += 1 + 2 + 6 + appCount
        for host in 0..<hostCount {
            count += 2 + (hostHasDataVolume(host) ? 2 : 1) + host % 2
        }
        count += esxiVMCounts.count + DemoFleetCatalog.vSphereDatastores.count
        count += Self.sum(esxiVMCounts)
        return count
    }

    static func sum(_ values: [Int]) -> Int {
        var total = 0
        for value in values { total += value }
        return total
    }

    // MARK: - Shared helpers

    /// A generator for one entity of this site.
    func random(_ kind: Kind, _ position: Int = 0) -> DemoFleetRandom {
        DemoFleetRandom.keyed(seed, index, kind.rawValue, position)
    }

    /// Seen within the last minute: what a healthy poller or agent reports.
    func recently(_ random: inout DemoFleetRandom) -> Timestamp {
        Timestamp(secondsSince1970: now.secondsSince1970 - Int64(random.int(in: 0...59)))
    }

    /// `now` minus `seconds`.
    func ago(_ seconds: Int64) -> Timestamp {
        Timestamp(secondsSince1970: now.secondsSince1970 - seconds)
    }

    /// An address in a documentation range: IPv4 on site 0 (group 1 → 192.0.2.0/24, 2 → 198.51.100.0/24,
    /// 3 → 203.0.113.0/24), IPv6 in 2001:db8::/32 elsewhere, since three /24s cannot number 3 300 sites.
    func address(group: Int, host: Int) -> String {
        if index == 0 {
            let prefix = group == 1 ? "192.0.2." : group == 2 ? "198.51.100." : "203.0.113."
            return prefix + String(host)
        }
        return "2001:db8:\(String(index, radix: 16)):\(group)::\(String(host, radix: 16))"
    }

    /// The suffixed name of a host, cluster or workload.
    func named(_ base: String) -> String {
        suffix.isEmpty ? base : base + suffix
    }
}
