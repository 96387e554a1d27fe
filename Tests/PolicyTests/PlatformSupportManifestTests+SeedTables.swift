import Testing

@testable import Policy

/// Every cell of the seed's "Current Support Matrix" tables and of the vSphere admission and proposed
/// floor tables, checked against the bundled manifest. Cells are copied from the seed as written.
extension PlatformSupportManifestTests {
    struct ProjectionRow: Sendable, CustomTestStringConvertible {
        var id: PlatformID, family: String, mode: String, augmentation: String, projections: [String]
        var testDescription: String { id.rawValue }
    }

    struct FloorRow: Sendable, CustomTestStringConvertible {
        var id: PlatformID, setup: String, cells: [String], isProposed = false
        var testDescription: String { id.rawValue }
    }

    static let projectionsTable: [ProjectionRow] = [
        .init(id: "agent", family: "Pulse-managed host", mode: "agent-backed", augmentation: "none",
              projections: ["agent", "storage", "physical-disk"]),
        .init(id: "docker", family: "container runtime", mode: "agent-backed", augmentation: "none",
              projections: ["agent", "app-container", "docker-service"]),
        .init(id: "kubernetes", family: "cluster runtime", mode: "agent-backed", augmentation: "none",
              projections: ["k8s-cluster", "k8s-node", "pod", "k8s-deployment"]),
        .init(id: "proxmox-pve", family: "Proxmox", mode: "api-backed", augmentation: "host agent may augment into hybrid",
              projections: ["agent", "vm", "system-container", "storage", "ceph", "physical-disk"]),
        .init(id: "proxmox-pbs", family: "Proxmox", mode: "api-backed", augmentation: "host agent may augment into hybrid",
              projections: ["pbs", "storage"]),
        .init(id: "proxmox-pmg", family: "Proxmox", mode: "api-backed", augmentation: "none today",
              projections: ["pmg"]),
        .init(id: "truenas", family: "TrueNAS", mode: "api-backed", augmentation: "host agent may augment into hybrid",
              projections: ["agent", "app-container", "storage", "physical-disk"]),
    ]

    /// Visibility, Workloads, Storage, Recovery, Alerts, Assistant read, Assistant control.
    static let surfacesTable: [FloorRow] = [
        .init(id: "agent", setup: "install workspace",
              cells: ["supported", "n/a", "supported", "n/a", "supported", "supported", "supported"]),
        .init(id: "docker", setup: "install workspace / runtime enablement",
              cells: ["supported", "supported", "n/a", "n/a", "supported", "supported", "supported"]),
        .init(id: "kubernetes", setup: "install workspace / runtime enablement",
              cells: ["supported", "supported", "n/a", "supported", "supported", "supported", "supported"]),
        .init(id: "proxmox-pve", setup: "platform connections",
              cells: ["supported", "supported", "supported", "supported", "supported", "supported", "augmentation-only"]),
        .init(id: "proxmox-pbs", setup: "platform connections",
              cells: ["supported", "n/a", "supported", "supported", "supported", "supported", "read-only"]),
        .init(id: "proxmox-pmg", setup: "platform connections",
              cells: ["supported", "n/a", "n/a", "n/a", "supported", "supported", "read-only"]),
        .init(id: "truenas", setup: "platform connections",
              cells: ["supported", "supported", "supported", "supported", "supported", "supported", "supported"]),
        // "VMware vSphere Proposed Phase-1 Floor": proposed, not support.
        .init(id: "vmware-vsphere", setup: "platform connections to `vCenter` only",
              cells: ["supported", "supported", "supported", "n/a", "supported", "supported", "read-only"],
              isProposed: true),
    ]

    @Test("Projections table row", arguments: projectionsTable)
    func projectionsTableRow(_ row: ProjectionRow) throws {
        let platform = try #require(try Fixtures.shippedManifest().platform(for: row.id))
        #expect(platform.family == row.family)
        #expect(platform.primaryMode?.rawValue == row.mode)
        let seedSaysNone = row.augmentation == "none" || row.augmentation == "none today"
        #expect(platform.augmentation?.wording == (seedSaysNone ? nil : row.augmentation))
        if let augmentation = platform.augmentation {
            #expect(augmentation.path == "unified-agent")
            #expect(augmentation.scope == "host")
            #expect(!augmentation.isDeferred)
        }
        #expect(platform.projections == row.projections)
        #expect(platform.governance == .supported)
        #expect(platform.readinessStage == .supported)
        #expect(platform.hybrid == nil)
    }

    @Test("Surfaces table row", arguments: surfacesTable)
    func surfacesTableRow(_ row: FloorRow) throws {
        let platform = try #require(try Fixtures.shippedManifest().platform(for: row.id))
        #expect(platform.onboardingPath == row.setup)
        let floor = try #require(row.isProposed ? platform.proposedFloor : platform.supportFloor)
        #expect(floor.setup == .supported)
        let surfaces = Surface.allCases.dropFirst()
        #expect(surfaces.count == row.cells.count)
        for (surface, cell) in zip(surfaces, row.cells) {
            #expect(floor[surface]?.rawValue == cell, "\(row.id) \(surface.title)")
        }
        if row.isProposed {
            #expect(platform.supportFloor == nil, "a proposed floor is not a support-matrix row")
        }
    }

    @Test func vSphereAdmissionRow() throws {
        let vsphere = try #require(try Fixtures.shippedManifest().platform(for: "vmware-vsphere"))
        #expect(vsphere.family == "VMware")
        #expect(vsphere.entryPoint == "vCenter")
        #expect(vsphere.primaryMode == .apiBacked)
        #expect(vsphere.augmentation?.wording == "host or guest agent later, not phase 1")
        #expect(vsphere.augmentation?.isDeferred == true)
        #expect(vsphere.projections == ["agent", "vm", "storage"])
        #expect(vsphere.governance == .admitted)
        #expect(vsphere.readinessStage == .firstLabReady)
        #expect(vsphere.supportFloor == nil)
        #expect(vsphere.assistantControlClass == nil, "first-lab-ready must not leak into Assistant behaviour")
    }

    @Test(arguments: ["unraid", "synology-dsm", "microsoft-hyperv", "aws", "azure", "gcp"] as [PlatformID])
    func presentationOnlyRow(_ id: PlatformID) throws {
        let platform = try #require(try Fixtures.shippedManifest().platform(for: id))
        #expect(platform.governance == .presentationOnly)
        #expect(platform.readinessStage == nil)
        #expect(platform.primaryMode == nil)
        #expect(platform.projections.isEmpty)
        #expect(platform.supportFloor == nil)
        #expect(platform.proposedFloor == nil)
        #expect(platform.family == nil)
    }
}
