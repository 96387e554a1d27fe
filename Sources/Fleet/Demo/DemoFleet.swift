/// A realistic, deterministic fleet of Pulse's canonical resources: the embedded default of
/// `serve`, the fixture of transcripts and tests, and the generator of benchmark fleets.
///
/// One *site* is the base mix, about 300 resources: a Proxmox VE cluster of hybrid nodes (one
/// each with a healthy Pulse agent, an agent whose commands are disabled, a stale agent, and no
/// agent at all — on site 0; other sites draw 3–4 nodes), VMs and LXCs, local and Ceph storage,
/// physical disks; a Proxmox Backup Server with datastores and backups; a Mail Gateway; Docker
/// hosts (one running Podman) with containers and Swarm services; a Kubernetes cluster with
/// nodes, deployments and pods; a TrueNAS appliance with pools, disks, apps and its platform
/// connection; plain Linux hosts with Pulse agents; and an admitted, unsupported vSphere estate
/// in its phase-1 projections. Alerts, recovery points and metric history go with them.
///
/// **Scale.** `scale: N` is N sites: site 0 is the demo as a person reads it, sites 1…N−1 are
/// the same mix with every name suffixed `-s<k>`, each drawing its own counts. Resources grow as
/// N × ``resourcesPerSite`` on average, so ``scale(forResourceCount:)`` is
/// `max(1, round(count / resourcesPerSite))`: 1 000 000 resources → scale 3 300 (997 748 resources).
///
/// **Determinism.** The same seed, scale and `now` give the same bytes, on any machine: every
/// entity draws from its own SplitMix64 stream keyed by integers (``DemoFleetRandom``), and
/// nothing iterates a dictionary. **Memory** stays bounded whatever the scale: records are
/// generated one site at a time and streamed to the caller, never collected.
///
/// ```swift
/// let fleet = DemoFleet(seed: 1, scale: DemoFleet.scale(forResourceCount: 100_000))
/// try fleet.writeJSONLines(to: "/tmp/fleet-100k.jsonl")
/// ```
package struct DemoFleet: Sendable {
    /// The demo clock, `2026-11-28T10:00:00Z`: the snapshot's `generatedAt` unless a caller injects another.
    package static let defaultNow = Timestamp(secondsSince1970: 1_795_860_000)

    /// The average number of resources of one site (302.9 over the first 1 014 sites of seed 1;
    /// site 0 alone, the scale-1 demo, has 309).
    package static let resourcesPerSite = 303

    package let seed: UInt64
    /// The number of sites, at least 1.
    package let scale: Int
    /// The snapshot's `generatedAt`; every `lastSeen`, heartbeat, alert and sample is relative to it.
    package let now: Timestamp
    /// Where the agents' and connections' Unix sockets are: `unix:<directory>/<name>.sock`.
    package let endpointDirectory: String

    /// Where the demo's control endpoints listen unless told otherwise (`pulse-assistant endpoint --demo`).
    package static let defaultEndpointDirectory = "/tmp/pulse-demo"

    /// - Parameters:
    ///   - seed: picks one fleet among many; the same seed gives the same bytes.
    ///   - scale: the number of sites; values below 1 mean 1.
    ///   - now: the injected clock (never the wall clock, so that transcripts replay).
    ///   - endpointDirectory: the directory of the endpoints' sockets (a replay moves them to a private one).
    package init(
        seed: UInt64 = 1, scale: Int = 1, now: Timestamp = DemoFleet.defaultNow,
        endpointDirectory: String = DemoFleet.defaultEndpointDirectory
    ) {
        self.seed = seed
        self.scale = max(1, scale)
        self.now = now
        self.endpointDirectory = endpointDirectory
    }

    /// The scale whose fleet has about `count` resources (never less than 1).
    package static func scale(forResourceCount count: Int) -> Int {
        max(1, (count + resourcesPerSite / 2) / resourcesPerSite)
    }

    /// The exact number of resources ``records(_:)`` will emit, computed from the sites' plans
    /// without generating them: for a progress bar.
    package var resourceCount: Int {
        (0..<scale).reduce(0) { $0 + site($1).resourceCount }
    }

    /// Streams the snapshot in JSON Lines record order: `generatedAt`, then every resource
    /// (parents before children), agents, connections, alerts, recovery points and metric samples.
    ///
    /// Each section walks the sites again, rebuilding what it needs from the seed, so nothing but
    /// one site's plan is held at a time. `emit` may throw to stop early (a closed pipe, a cancelled
    /// command); the error is rethrown. The file writers are faster than building each record's
    /// JSON object here: use them for large fleets.
    package func records(_ emit: (DemoRecord) throws -> Void) rethrows {
        try items { try emit($0.record) }
    }

    /// The records as the generators produce them, in snapshot order.
    func items(_ emit: (DemoFleetItem) throws -> Void) rethrows {
        try emit(.record(.generatedAt(now)))
        let time = DemoFleetTimeFormatter(now: now)
        for index in 0..<scale {
            try site(index, time: time).resources { try emit(.resource($0)) }
        }
        for index in 0..<scale {
            try site(index, time: time).agents(emit)
        }
        for index in 0..<scale {
            try site(index, time: time).connections(emit)
        }
        for index in 0..<scale {
            try site(index, time: time).alerts(emit)
        }
        for index in 0..<scale {
            try site(index, time: time).recoveryPoints(emit)
        }
        let instants = sampleInstants
        for index in 0..<scale {
            try site(index, time: time).metricSamples(instants: instants, emit)
        }
    }

    func site(_ index: Int, time: DemoFleetTimeFormatter? = nil) -> DemoFleetSite {
        DemoFleetSite(
            seed: seed, index: index, now: now, time: time ?? DemoFleetTimeFormatter(now: now), endpointDirectory: endpointDirectory
        )
    }

    /// The metric sample times, oldest first, ending at `now`.
    private var sampleInstants: [Int64] {
        let count = DemoFleetSite.samplesPerSeries
        return (0..<count).map { step in
            now.secondsSince1970 - Int64(count - 1 - step) * DemoFleetSite.sampleInterval
        }
    }
}
