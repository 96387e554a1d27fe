import Fleet
import JSON
import Testing
@testable import PulseClient

@Suite("Alerts and recovery points join their resources through aliases")
struct PulseAlertJoinTests {
    /// The fixture fleet, assembled with `alerts` and the fixture's recovery points.
    static func assemble(alerts: [JSONValue]) throws -> (batch: FleetBatch, counts: PulseJoinCounts) {
        var assembler = PulseFleetAssembler(manifest: PulseFixtures.manifest)
        for row in try PulseFixtures.resourceRows() { assembler.addResource(.object(row)) }
        let points = try PulseFixtures.json("api-recovery-points.json")["data"]?.arrayValue ?? []
        return assembler.finish(alerts: alerts, recoveryPoints: points, source: "pulse test")
    }

    static func alert(_ id: String, on resourceId: String) -> JSONValue {
        ["id": .string(id), "type": "cpu", "level": "warning", "resourceId": .string(resourceId), "message": "m",
         "startTime": "2026-08-22T14:00:00Z"]
    }

    @Test func theFixtureAlertsJoinByTheirLegacyIds() throws {
        let alerts = try #require(try PulseFixtures.json("api-alerts-active.json").arrayValue)
        let (batch, counts) = try Self.assemble(alerts: alerts)
        #expect(batch.alerts.map { $0["resourceId"] } == [
            "vm-424254e4f1a41a3e",  // pve-lab:pve2:201, the guest's proxmox.sourceId
            "app-container-fd6a44844bc23f97",  // docker:{hostSourceId}/{containerId}
            "agent-c280398dd9e79c7c",  // agent:{agentId}, which the node's guests list too
        ])
        #expect(counts.unjoinedAlerts == 0)
        #expect(Validation.errors(batch) == [])
    }

    /// Each alias form, and who it resolves to.
    static let forms: [(String, String?)] = [
        ("vm:pve-lab:pve1:101", "vm-9493142bd2bf2b8e"),  // canonicalIdentity.primaryId
        ("node:pve-lab-pve1", "agent-c280398dd9e79c7c"),  // a node's primaryId
        ("pve-lab-pve1", "agent-c280398dd9e79c7c"),  // a node's proxmox.sourceId
        ("agent:host-3f1c2a9e", "agent-c280398dd9e79c7c"),  // agent:{agentId} beats the guests that list it
        ("host-3f1c2a9e", "agent-c280398dd9e79c7c"),  // bare metricsTarget.resourceId
        ("docker:docker-edge-7a1f", "agent-1caf3f486ba823f4"),  // a Docker host's alerts
        ("docker-host:docker-edge-7a1f", "agent-1caf3f486ba823f4"),
        ("pve1", "agent-c280398dd9e79c7c"),  // listed by the node and its children: the ancestor takes it
        ("pve2", "agent-8676e727f484ed52"),
        ("prod", "k8s-cluster-e0d21948e49ee17f"),  // listed by the cluster and its deployment
        ("vm-9493142bd2bf2b8e", "vm-9493142bd2bf2b8e"),  // a canonical id is itself
        ("no-such-resource", nil),
    ]

    @Test(arguments: forms)
    func aliasForms(_ alias: String, _ resolved: String?) throws {
        let (batch, counts) = try Self.assemble(alerts: [Self.alert("a-1", on: alias)])
        #expect(batch.alerts.first?["resourceId"]?.stringValue == (resolved ?? alias))
        #expect(counts.unjoinedAlerts == (resolved == nil ? 1 : 0))
        #expect(batch.alerts.count == 1)
        if resolved != nil, alias != resolved { #expect(batch.aliases[alias] == resolved) }
    }

    @Test func aNameTwoUnrelatedResourcesClaimJoinsNothingAndIsCounted() throws {
        // Given two unrelated rows that both list "shared-name"
        var assembler = PulseFleetAssembler(manifest: PulseFixtures.manifest)
        for id in ["agent-a", "agent-b"] {
            assembler.addResource(
                ["id": .string(id), "type": "agent", "name": .string(id), "status": "online",
                 "canonicalIdentity": ["aliases": ["shared-name", .string("\(id)-only")]]]
            )
        }
        // When an alert names it
        let (batch, counts) = assembler.finish(alerts: [Self.alert("a-1", on: "shared-name")], recoveryPoints: [], source: "t")
        // Then it is kept unjoined and the ambiguity is counted
        #expect(batch.aliases["shared-name"] == nil)
        #expect(batch.aliases["agent-a-only"] == "agent-a")
        #expect(counts.ambiguousAliases == 1)
        #expect(counts.unjoinedAlerts == 1)
    }

    @Test func duplicateIdsAreOneRecordAndTheLastCopyWins() throws {
        let first = Self.alert("a-1", on: "pve1")
        var second = Self.alert("a-1", on: "pve2")
        second = .object({ var o = second.objectValue ?? [:]; o["message"] = "second"; return o }())
        let (batch, _) = try Self.assemble(alerts: [first, second])
        #expect(batch.alerts.count == 1)
        #expect(batch.alerts.first?["message"] == "second")
        #expect(batch.alerts.first?["resourceId"] == "agent-8676e727f484ed52")
    }

    @Test func recoveryPointsOfResourcesNotSyncedAreKeptAndCounted() throws {
        var assembler = PulseFleetAssembler(manifest: PulseFixtures.manifest)
        for row in try PulseFixtures.resourceRows() where row["id"]?.stringValue != "vm-9493142bd2bf2b8e" {
            assembler.addResource(.object(row))
        }
        let points = try PulseFixtures.json("api-recovery-points.json")["data"]?.arrayValue ?? []
        let (batch, counts) = assembler.finish(alerts: [], recoveryPoints: points, source: "t")
        #expect(batch.recoveryPoints.map { $0["resourceId"] } == ["vm-9493142bd2bf2b8e", "system-container-e1d23edf538f92ea"])
        #expect(counts.unjoinedRecoveryPoints == 1)
        #expect(batch.skipped.filter { $0.kind == .recoveryPoint }.count == 1)
    }

    @Test func theBatchCountsSkipsAgentsAndParents() throws {
        let (batch, counts) = try Self.assemble(alerts: [])
        #expect(batch.records.count == 20)
        #expect(batch.skipped.filter { $0.kind == .resource }.map(\.type) == ["docker-network", "network-share", "network-endpoint"])
        #expect(batch.agents.map { $0["id"] } == ["pulse-agent:agent-docker-edge", "pulse-agent:host-3f1c2a9e"])
        #expect(counts.parentsNotSynced == 0)
        #expect(Validation.errors(batch) == [])
    }

    @Test func aParentThatIsNotSyncedIsUnlinkedAndKeptInDetails() throws {
        var assembler = PulseFleetAssembler(manifest: PulseFixtures.manifest)
        assembler.addResource(.object(try PulseFixtures.row("vm-9493142bd2bf2b8e")))
        let (batch, counts) = assembler.finish(alerts: [], recoveryPoints: [], source: "t")
        #expect(batch.records.first?["parentId"] == nil)
        #expect(batch.records.first?.pulseDetails?["unsyncedParentId"] == "agent-c280398dd9e79c7c")
        #expect(counts.parentsNotSynced == 1)
    }
}
