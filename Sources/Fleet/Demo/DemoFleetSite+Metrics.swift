import JSON

/// The metric history of a site: a sample every 5 minutes over the 24 hours before `now`.
///
/// Site 0 — the demo a person explores — has history for a few dozen resources: every PVE node,
/// a handful of running guests per node, the Docker, Kubernetes, TrueNAS and Pulse-agent hosts,
/// the PBS server (`cpu`, `memoryUsed`, `diskUsed`), and the Ceph pool, PBS datastores and
/// TrueNAS pools (`diskUsed`). Other sites carry only their first PVE node's `cpu`: history for
/// every site would be 90 samples per resource and dwarf the fleet it describes (tens of millions
/// of rows at scale 3 300), while one series per site still gives a large store's `get_metrics`
/// real work.
///
/// Each series ends, at `now`, on the value the resource's own `metrics` shows.
extension DemoFleetSite {
    /// One series owner: a resource id, its load, and whether it has CPU and memory or only disk.
    private struct Series {
        let resourceID: String
        let load: DemoFleetLoad
        let diskOnly: Bool
    }

    /// Samples per series: 288, the last one at `now`.
    static let samplesPerSeries = 288
    static let sampleInterval: Int64 = 300

    /// - Parameter instants: the sample times, oldest first, shared by every series.
    func metricSamples(instants: [Int64], _ emit: (DemoFleetItem) throws -> Void) rethrows {
        for series in featuredSeries() {
            if !series.diskOnly {
                for instant in instants {
                    try emit(sample(series.resourceID, "cpu", .fraction(series.load.cpu(at: instant)), instant))
                }
            }
            guard index == 0 else { continue }
            if !series.diskOnly, series.load.memoryTotal != nil {
                for instant in instants {
                    let used = series.load.memoryUsed(at: instant) ?? 0
                    try emit(sample(series.resourceID, "memoryUsed", .bytes(used), instant))
                }
            }
            if series.load.diskTotal != nil {
                for instant in instants {
                    let used = series.load.diskUsed(at: instant, now: now) ?? 0
                    try emit(sample(series.resourceID, "diskUsed", .bytes(used), instant))
                }
            }
        }
    }

    private func sample(
        _ resourceID: String, _ metric: String, _ value: DemoFleetSample.Value, _ at: Int64
    ) -> DemoFleetItem {
        .metricSample(DemoFleetSample(resourceID: resourceID, metric: metric, at: at, value: value))
    }

    private func featuredSeries() -> [Series] {
        guard index == 0 else { return [Series(resourceID: nodeID(0), load: nodeLoad(0), diskOnly: false)] }
        var series: [Series] = []
        for node in 0..<nodeCount {
            series.append(Series(resourceID: nodeID(node), load: nodeLoad(node), diskOnly: false))
            var vms = 0
            var containers = 0
            for slot in 0..<vmCounts[node] where vms < 3 {
                let guest = guest(node: node, slot: slot, isVM: true)
                guard guest.power == .running else { continue }
                series.append(Series(resourceID: guest.id, load: guest.load, diskOnly: false))
                vms += 1
            }
            for slot in 0..<containerCounts[node] where containers < 2 {
                let guest = guest(node: node, slot: slot, isVM: false)
                guard guest.power == .running else { continue }
                series.append(Series(resourceID: guest.id, load: guest.load, diskOnly: false))
                containers += 1
            }
        }
        series += (0..<3).map { Series(resourceID: dockerHostID($0), load: dockerHostLoad($0), diskOnly: false) }
        series += (0..<k8sNodeCount).map { Series(resourceID: k8sNodeID($0), load: k8sNodeLoad($0), diskOnly: false) }
        series.append(Series(resourceID: nasID, load: nasLoad(), diskOnly: false))
        for host in 0..<hostCount where host != Self.offlineHost {
            series.append(Series(resourceID: hostID(host), load: hostLoad(host), diskOnly: false))
        }
        series.append(Series(resourceID: pbsID, load: pbsLoad, diskOnly: false))
        series.append(Series(resourceID: cephID, load: cephLoad, diskOnly: true))
        series += (0..<2).map { Series(resourceID: datastoreID($0), load: datastoreLoad($0), diskOnly: true) }
        series += (0..<2).map { Series(resourceID: poolID($0), load: poolLoad($0), diskOnly: true) }
        return series
    }
}
