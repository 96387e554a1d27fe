import Fleet
import Foundation
import JSON
import Policy
import ResourceStore
import Testing

/// The read side of the store: searches, keyset pages, lookups, alerts, recovery points, metrics.
@Suite("Resource queries")
struct ResourceQueryTests {
    typealias F = IngestFixtures

    /// One PVE node with four guests, a Docker host with two containers, a vSphere host with a VM.
    static let snapshot: F.Snapshot = [
        (.resource, [
            F.resource("agent/pve-a", ["type": "agent", "name": "pve-a", "powerState": nil, "technology": nil, "parentId": nil, "tags": ["lab"]]),
            F.resource("vm/pve-a/101", ["name": "web-01", "tags": ["prod", "web"], "identity": ["hostname": "web-01.example.org"]]),
            F.resource("vm/pve-a/102", ["name": "web-02", "status": "offline", "powerState": "stopped",
                                        "metrics": ["cpu": 0.9, "diskUsed": 39, "diskTotal": 40]]),
            F.resource("vm/pve-a/103", ["name": "db-primary", "metrics": ["cpu": 0.5]]),
            F.resource("ct/pve-a/201", ["type": "system-container", "technology": "lxc", "name": "pihole", "metrics": [:]]),
            F.resource("agent/dock-1", ["type": "agent", "platform": "docker", "name": "dock-1", "powerState": nil, "technology": nil, "parentId": nil]),
            F.resource("app/dock-1/nginx", ["type": "app-container", "platform": "docker", "name": "nginx", "technology": "podman", "parentId": "agent/dock-1"]),
            F.resource("app/dock-1/web-01", ["type": "app-container", "platform": "docker", "name": "web-01", "technology": nil, "parentId": "agent/dock-1"]),
            F.resource("agent/esx-1", ["type": "agent", "platform": "vmware-vsphere", "name": "esx-1", "powerState": nil, "technology": nil, "parentId": nil]),
            F.resource("vm/esx-1/db", ["platform": "vmware-vsphere", "name": "esx-db", "parentId": "agent/esx-1", "technology": nil]),
        ]),
        (.alert, [
            F.record(.alert, ["id": "a-info", "severity": "info", "resourceId": "vm/pve-a/103", "since": "2026-11-28T09:00:00Z"]),
            F.record(.alert, ["id": "a-warn-old", "severity": "warning", "resourceId": "vm/pve-a/102", "since": "2026-11-27T09:00:00Z"]),
            F.record(.alert, ["id": "a-crit", "severity": "critical", "resourceId": "vm/pve-a/102", "since": "2026-11-28T01:00:00Z"]),
            F.record(.alert, ["id": "a-warn-new", "severity": "warning", "resourceId": "vm/pve-a/101", "since": "2026-11-28T09:30:00Z"]),
            F.record(.alert, ["id": "a-esx", "severity": "critical", "resourceId": "vm/esx-1/db", "since": "2026-11-28T09:40:00Z"]),
        ]),
        (.recoveryPoint, [
            F.record(.recoveryPoint, ["id": "rp-1", "at": "2026-11-26T02:00:00Z", "verified": true]),
            F.record(.recoveryPoint, ["id": "rp-2", "at": "2026-11-27T02:00:00Z", "verified": false]),
            F.record(.recoveryPoint, ["id": "rp-3", "at": "2026-11-28T02:00:00Z", "kind": "snapshot", "platform": "proxmox-pve", "verified": nil]),
        ]),
        (.metricSample, (0..<12).map { step in
            F.record(.metricSample, ["at": .string(Timestamp(secondsSince1970: 1_795_856_400 + Int64(step) * 300).description),
                                     "value": .double(Double(step) / 20)])
        }),
    ]

    /// The fixture, ingested once for the suite.
    static func store() throws -> ResourceStore {
        try ingested.get()
    }

    static let ingested = Result { () throws -> ResourceStore in
        let store = try ResourceStore.inMemory()
        try store.ingest(.bytes(F.lines(snapshot)), manifest: try F.manifest(), now: F.now)
        return store
    }

    static func query(_ configure: (inout ResourceQuery) -> Void) -> ResourceQuery {
        var query = ResourceQuery()
        configure(&query)
        return query
    }

    @Test("filters combine, and hidden platforms are left out", arguments: [
        (query { $0.types = ["vm"] }, ["vm/pve-a/103", "vm/esx-1/db", "vm/pve-a/101", "vm/pve-a/102"]),
        (query { $0.types = ["vm"]; $0.hiddenPlatforms = ["vmware-vsphere"] }, ["vm/pve-a/103", "vm/pve-a/101", "vm/pve-a/102"]),
        (query { $0.types = ["vm"]; $0.statuses = ["online"]; $0.platforms = ["proxmox-pve"] }, ["vm/pve-a/103", "vm/pve-a/101"]),
        (query { $0.powerStates = ["stopped"] }, ["vm/pve-a/102"]),
        (query { $0.parentId = "agent/dock-1" }, ["app/dock-1/nginx", "app/dock-1/web-01"]),
        (query { $0.rootsOnly = true; $0.hiddenPlatforms = ["vmware-vsphere"] }, ["agent/dock-1", "agent/pve-a"]),
        (query { $0.tag = "web" }, ["vm/pve-a/101"]),
        (query { $0.text = "web" }, ["app/dock-1/web-01", "vm/pve-a/101", "vm/pve-a/102"]),
        (query { $0.text = "web-01.exam" }, ["vm/pve-a/101"]),
        (query { $0.text = "\"web)* ^" }, ["app/dock-1/web-01", "vm/pve-a/101", "vm/pve-a/102"]),
        (query { $0.types = ["vm"]; $0.minDiskUsage = 0.9 }, ["vm/pve-a/102"]),
        (query { $0.types = ["pod"] }, []),
    ])
    func filters(_ query: ResourceQuery, _ expected: [String]) throws {
        let page = try Self.store().read { try $0.search(query) }
        #expect(page.rows.map(\.id) == expected)
        #expect(page.next == nil)
        #expect(try Self.store().read { try $0.count(query) } == expected.count)
    }

    @Test("a metric sort puts the busiest first and resources without the metric last")
    func metricSort() throws {
        let page = try Self.store().read { try $0.search(Self.query { $0.types = ["vm", "system-container"]; $0.sort = .cpu; $0.hiddenPlatforms = ["vmware-vsphere"] }) }
        #expect(page.rows.map(\.id) == ["vm/pve-a/102", "vm/pve-a/103", "vm/pve-a/101", "ct/pve-a/201"])
    }

    @Test("a keyset walk visits every row once, in order, for every sort and page size", arguments: ResourceSort.allCases, [1, 2, 3, 7])
    func keysetWalk(_ sort: ResourceSort, _ pageSize: Int) throws {
        let store = try Self.store()
        let all = try store.read { try $0.search(Self.query { $0.sort = sort; $0.limit = 100 }) }.rows.map(\.id)
        var seen: [String] = []
        var query = Self.query { $0.sort = sort; $0.limit = pageSize }
        for _ in 0..<50 {
            let page = try store.read { try $0.search(query) }
            #expect(page.rows.count <= pageSize)
            seen += page.rows.map(\.id)
            guard let next = page.next else { break }
            query.after = next
        }
        #expect(seen == all)
        #expect(seen.count == 10)
    }

    @Test("lookups: by id with the record, by name, parent chain, child counts")
    func lookups() throws {
        let store = try Self.store()
        let web = try #require(try store.read { try $0.resource(id: "vm/pve-a/101") })
        #expect(web.name == "web-01" && web.platform == "proxmox-pve" && web.cpu == 0.25 && web.memoryUsage == 0.25)
        #expect(web.record?.contains("\"hostname\":\"web-01.example.org\"") == true)
        #expect(try store.read { try $0.resource(id: "vm/nope") } == nil)
        #expect(try store.read { try $0.resources(named: "web-01") }.map(\.id) == ["app/dock-1/web-01", "vm/pve-a/101"])
        #expect(try store.read { try $0.parentChain(of: web) }.map(\.id) == ["agent/pve-a"])
        let counts = try store.read { try $0.childCounts(of: "agent/pve-a") }
        #expect(counts.map(\.type) == ["system-container", "vm"])
        #expect(counts.map(\.count) == [1, 3])
    }

    @Test("closest resources for a mistyped id or name", arguments: [
        ("vm/pve-a/10", "vm/pve-a/101"), ("vm/pve-a/1011", "vm/pve-a/101"), ("db-primari", "vm/pve-a/103"), ("pihol", "ct/pve-a/201"),
    ])
    func closest(_ text: String, _ best: String) throws {
        let closest = try Self.store().read { try $0.closestResources(to: text) }
        #expect(closest.first?.id == best)
        #expect(closest.count <= 5)
    }

    @Test("alerts: critical, then warning, then info; newest first; keyset pages")
    func alerts() throws {
        let store = try Self.store()
        var query = AlertQuery()
        query.hiddenPlatforms = ["vmware-vsphere"]
        #expect(try store.read { try $0.alerts(query) }.rows.map(\.id) == ["a-crit", "a-warn-new", "a-warn-old", "a-info"])
        query.limit = 3
        let first = try store.read { try $0.alerts(query) }
        query.after = first.next
        #expect(try store.read { try $0.alerts(query) }.rows.map(\.id) == ["a-info"])
        query = AlertQuery()
        query.severities = ["critical"]
        #expect(try store.read { try $0.alerts(query) }.rows.map(\.id) == ["a-esx", "a-crit"])
        #expect(try store.read { try $0.alerts(on: "vm/pve-a/102") }.map(\.id) == ["a-crit", "a-warn-old"])
        #expect(try store.read { try $0.alerts(on: "vm/pve-a/102", limit: 1) }.map(\.id) == ["a-crit"])
        #expect(try store.read { try $0.alerts(on: "agent/pve-a") }.isEmpty)
        #expect(try store.read { try $0.alerts(on: "no/such/resource") }.isEmpty)
    }

    @Test("recovery points: newest first, by kind, and a summary")
    func recoveryPoints() throws {
        let store = try Self.store()
        #expect(try store.read { try $0.recoveryPoints(of: "vm/pve-a/101") }.rows.map(\.id) == ["rp-3", "rp-2", "rp-1"])
        #expect(try store.read { try $0.recoveryPoints(of: "vm/pve-a/101", kind: "backup") }.rows.map(\.id) == ["rp-2", "rp-1"])
        let page = try store.read { try $0.recoveryPoints(of: "vm/pve-a/101", limit: 2) }
        #expect(try store.read { try $0.recoveryPoints(of: "vm/pve-a/101", after: page.next, limit: 2) }.rows.map(\.id) == ["rp-1"])
        let summary = try store.read { try $0.recoverySummary(of: "vm/pve-a/101") }
        #expect(summary.count == 3 && summary.latest?.id == "rp-3" && summary.latestVerified?.id == "rp-1")
    }

    @Test("metrics: what is recorded, samples in a range, downsampled by buckets")
    func metrics() throws {
        let store = try Self.store()
        let recorded = try #require(try store.read { try $0.metrics(of: "vm/pve-a/101") }.first)
        #expect(recorded.metric == "cpu" && recorded.count == 12)
        let samples = try store.read { try $0.samples(of: "vm/pve-a/101", metric: "cpu", from: 0, to: .max) }
        #expect(samples.count == 12)
        let points = MetricSeries.downsample(samples, from: recorded.first.secondsSince1970, to: recorded.last.secondsSince1970, maxPoints: 4)
        #expect(points.count == 4)
        #expect(points.map(\.count) == [3, 3, 3, 3])
        #expect(abs(points[0].value - 0.05) < 1e-9 && points[0].min == 0 && points[0].max == 0.1)
        #expect(MetricSeries.downsample(samples, from: 0, to: .max, maxPoints: 100).count == 12)
    }
}

