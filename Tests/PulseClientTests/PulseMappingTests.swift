import Fleet
import JSON
import Policy
import Testing
@testable import PulseClient

/// What one row of `api-resources.list.json` must become.
struct RowExpectation: Sendable, CustomTestStringConvertible {
    var id: String
    var type: String?
    var platform: String?
    var powerState: String?
    var parentId: String?
    var executable: [String] = []
    var unavailable: [String] = []
    /// For a skipped row: a phrase its reason contains.
    var skip: String?

    var testDescription: String { id }

    static func mapped(
        _ id: String, _ type: String, _ platform: String, power: String? = nil, parent: String? = nil,
        executable: [String] = [], unavailable: [String] = []
    ) -> RowExpectation {
        RowExpectation(
            id: id, type: type, platform: platform, powerState: power, parentId: parent, executable: executable,
            unavailable: unavailable
        )
    }

    static func skipped(_ id: String, _ reason: String) -> RowExpectation {
        RowExpectation(id: id, skip: reason)
    }
}

@Suite("PulseMapping: the fixture rows")
struct PulseMappingTests {
    static let cluster = "k8s-cluster-e0d21948e49ee17f"
    static let pve1 = "agent-c280398dd9e79c7c"
    static let dockerEdge = "agent-1caf3f486ba823f4"
    static let nas = "agent-93c576539bd74103"

    /// Every row of the fixture, in its order.
    static let table: [RowExpectation] = [
        .mapped("k8s-deployment-8511d79640baf4c7", "k8s-deployment", "kubernetes", power: "unknown", parent: cluster),
        .mapped("pod-38831bf28a9ee99a", "pod", "kubernetes", power: "running", parent: cluster),
        .mapped(
            "vm-424254e4f1a41a3e", "vm", "proxmox-pve", power: "running", parent: "agent-8676e727f484ed52",
            unavailable: ["shutdown", "reboot", "stop"]
        ),
        .mapped(
            "system-container-e1d23edf538f92ea", "system-container", "proxmox-pve", power: "stopped", parent: pve1,
            executable: ["start"]
        ),
        .mapped(dockerEdge, "agent", "docker"),
        .mapped("docker-service-a19266364145add8", "docker-service", "docker", power: "unknown", parent: dockerEdge),
        .skipped("docker-network-89260ee86d856481", "provider-local type docker-network, not a canonical projection (seed rule)"),
        .mapped("k8s-node-a988e3c2a392128d", "k8s-node", "kubernetes", parent: cluster),
        .mapped("ceph-3a656f0c85e2336b", "ceph", "proxmox-pve"),
        .mapped("vm-9b06d3b3ae2d4552", "vm", "vmware-vsphere", power: "running"),
        .mapped("storage-fdb64343fc162568", "storage", "proxmox-pve", parent: pve1),
        .skipped("network-share-18d99911e05bee26", "provider-local type network-share"),
        .mapped(nas, "agent", "truenas"),
        .mapped(
            "app-container-fd6a44844bc23f97", "app-container", "docker", power: "running", parent: dockerEdge,
            executable: ["stop", "restart", "update"]
        ),
        .mapped("pbs-e3e230801f94f68b", "pbs", "proxmox-pbs"),
        .mapped(
            "app-container-429073fac8a1f6af", "app-container", "truenas", power: "running", parent: nas,
            unavailable: ["stop", "restart"]
        ),
        .mapped("pmg-1c00ca9af3612ab6", "pmg", "proxmox-pmg"),
        .mapped(cluster, "k8s-cluster", "kubernetes"),
        .mapped(pve1, "agent", "proxmox-pve", executable: ["install_os_updates"]),
        .mapped("agent-8676e727f484ed52", "agent", "proxmox-pve"),
        .skipped("network-endpoint-cc8d20852fea28dc", "provider-local type network-endpoint"),
        .mapped("physical_disk-c8ba0a030693c829", "physical-disk", "agent", parent: pve1),
        .mapped(
            "vm-9493142bd2bf2b8e", "vm", "proxmox-pve", power: "running", parent: pve1,
            executable: ["shutdown", "reboot", "stop"]
        ),
    ]

    @Test func theTableCoversEveryRowOfTheFixture() throws {
        let ids = try PulseFixtures.resourceRows().compactMap { $0["id"]?.stringValue }
        #expect(ids == Self.table.map(\.id))
    }

    @Test(arguments: table)
    func row(_ expected: RowExpectation) throws {
        // Given the fixture row
        var mapping = PulseMapping(manifest: PulseFixtures.manifest)
        let row = try PulseFixtures.row(expected.id)
        // When it is mapped
        let outcome = mapping.resource(row)
        // Then it is the expected record, or skipped for the expected reason
        if let reason = expected.skip {
            let skip = try #require(outcome.skip)
            #expect(skip.id == expected.id)
            #expect(skip.kind == .resource)
            #expect(skip.reason.contains(reason))
            return
        }
        let mapped = try #require(outcome.record)
        let record = mapped.record
        #expect(record["id"]?.stringValue == expected.id)
        #expect(record["type"]?.stringValue == expected.type)
        #expect(record["platform"]?.stringValue == expected.platform)
        #expect(record["powerState"]?.stringValue == expected.powerState)
        #expect(record["parentId"]?.stringValue == expected.parentId)
        #expect(mapped.parentId == expected.parentId)
        let details = try #require(record.pulseDetails)
        let executable = details["capabilities"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        let unavailable = details["actionReadiness"]?.arrayValue?
            .filter { $0["available"]?.boolValue == false }.compactMap { $0["name"]?.stringValue } ?? []
        #expect(executable == expected.executable)
        #expect(unavailable == expected.unavailable)
        #expect(Validation.errors(record, .resource) == [])
    }

    @Test func recordsCarryMetricsIdentitySourcesAndTimesFromTheRow() throws {
        var mapping = PulseMapping(manifest: PulseFixtures.manifest)
        let record = try #require(mapping.resource(PulseFixtures.row(Self.pve1)).record?.record)
        // cpu 18.4 % → 0.184; memory and disk bytes; uptime
        let metrics = try #require(record["metrics"]?.objectValue)
        #expect(abs((metrics["cpu"]?.doubleValue ?? 0) - 0.184) < 1e-9)
        #expect(metrics["memoryUsed"]?.integerValue == 44_023_414_784)
        #expect(metrics["memoryTotal"]?.integerValue == 137_438_953_472)
        #expect(metrics["diskUsed"]?.integerValue == 227_633_266_688)
        #expect(metrics["diskTotal"]?.integerValue == 998_579_896_320)
        #expect(metrics["uptimeSeconds"]?.integerValue == 1_814_400)
        #expect(record["identity"] == ["hostname": "pve1", "clusterName": "lab"])
        // platformScopes ["agent", "proxmox-pve"] are our platform ids already
        #expect(record["sources"] == ["agent", "proxmox-pve"])
        #expect(record["lastSeen"] == "2026-08-22T14:29:55Z")
        #expect(record["technology"] == "proxmox")
        let facets = try #require(record.pulseDetails?["facets"]?.objectValue)
        #expect(facets.keys == ["proxmox", "agent"])
        #expect(facets["agent"]?["commandsEnabled"] == true)
    }

    @Test func aHostWithAnAgentFacetGetsAnAgentRecordReachedThroughPulse() throws {
        var mapping = PulseMapping(manifest: PulseFixtures.manifest)
        let mapped = try #require(mapping.resource(PulseFixtures.row(Self.pve1)).record)
        let agent = try #require(mapped.agent)
        #expect(
            agent == [
                "id": "pulse-agent:host-3f1c2a9e", "hostResourceId": .string(Self.pve1), "endpoint": "pulse:host-3f1c2a9e",
                "commandsEnabled": true, "lastHeartbeat": "2026-08-22T14:29:55Z", "version": "6.3.0",
            ]
        )
        #expect(Validation.errors(agent, .agent) == [])
    }

    @Test func aDockerOnlyHostGetsTheAgentItsDockerFacetNames() throws {
        var mapping = PulseMapping(manifest: PulseFixtures.manifest)
        let agent = try #require(mapping.resource(PulseFixtures.row(Self.dockerEdge)).record?.agent)
        // No agent facet: the Docker facet names the agent, the row's lastSeen is its freshness, and
        // Pulse does not say it takes host commands.
        #expect(
            agent == [
                "id": "pulse-agent:agent-docker-edge", "hostResourceId": .string(Self.dockerEdge), "endpoint": "pulse:agent-docker-edge",
                "commandsEnabled": false, "lastHeartbeat": "2026-08-22T14:29:55Z", "version": "6.3.0",
            ]
        )
        #expect(Validation.errors(agent, .agent) == [])
    }

    @Test func typesThatDifferFromOursKeepPulsesTypeInDetails() throws {
        var mapping = PulseMapping(manifest: PulseFixtures.manifest)
        let host = try #require(mapping.resource(PulseFixtures.row(Self.dockerEdge)).record?.record)
        #expect(host.pulseDetails?["type"] == "docker-host")
        let disk = try #require(mapping.resource(PulseFixtures.row("physical_disk-c8ba0a030693c829")).record?.record)
        #expect(disk.pulseDetails?["type"] == "physical_disk")
        let vm = try #require(mapping.resource(PulseFixtures.row("vm-9493142bd2bf2b8e")).record?.record)
        #expect(vm.pulseDetails?["type"] == nil)
    }

    @Test func aliasesPutSourceReferencesFirst() throws {
        var mapping = PulseMapping(manifest: PulseFixtures.manifest)
        let container = try #require(mapping.resource(PulseFixtures.row("app-container-fd6a44844bc23f97")).record)
        let sources = container.aliases.filter { $0.strength == .source }.map(\.name)
        let containerId = "4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e"
        #expect(sources == ["app-container:\(containerId)", "docker:docker-edge-7a1f/\(containerId)"])
        #expect(!container.aliases.map(\.name).contains("app-container-fd6a44844bc23f97"))
        let vm = try #require(mapping.resource(PulseFixtures.row("vm-424254e4f1a41a3e")).record)
        #expect(vm.aliases.filter { $0.strength == .source }.map(\.name) == ["vm:pve-lab:pve2:201", "pve-lab:pve2:201"])
    }
}
