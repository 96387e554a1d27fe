import ArgumentParser
import Fleet
import ResourceStore

/// `pulse-assistant demo`: write the deterministic demo fleet as a snapshot.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Write the demo fleet as a snapshot file, deterministically (same seed, same bytes).",
        discussion: """
            One site is a Proxmox VE cluster (hybrid nodes, VMs, LXCs, Ceph), PBS, PMG, Docker hosts (one on \
            Podman) with Swarm services, a Kubernetes cluster, a TrueNAS appliance, Pulse agent hosts, an admitted \
            vSphere estate, alerts, recovery points and 24 h of metrics: about 300 resources. --scale repeats sites \
            (3300 sites is about a million resources); --resources picks the scale for a resource count.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json, jsonl
    }

    @Option(name: .long, help: "The number of sites.")
    var scale: Int?

    @Option(name: .long, help: "About how many resources to generate (sets --scale).")
    var resources: Int?

    @Option(name: .long, help: "The generator's seed.")
    var seed: UInt64 = 1

    @Option(name: .long, help: ArgumentHelp("The file to write.", valueName: "path"))
    var out: String

    @Option(name: .long, help: "jsonl (JSON Lines, the streaming form) or json (one document).")
    var format: Format = .jsonl

    func validate() throws {
        guard scale == nil || resources == nil else { throw ValidationError("give --scale or --resources, not both") }
        if let scale, scale < 1 { throw ValidationError("--scale must be at least 1") }
        if let resources, resources < 1 { throw ValidationError("--resources must be at least 1") }
    }

    func run() throws {
        let sites = scale ?? resources.map(DemoFleet.scale(forResourceCount:)) ?? 1
        let fleet = DemoFleet(seed: seed, scale: sites)
        switch format {
        case .jsonl: try fleet.writeJSONLines(to: out)
        case .json: try fleet.writeJSON(to: out)
        }
        print("wrote \(out): demo fleet, seed \(seed), \(sites) site\(sites == 1 ? "" : "s"), \(fleet.resourceCount) resources, \(format.rawValue)")
    }
}
