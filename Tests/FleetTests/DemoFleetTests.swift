import Foundation
import JSON
import Policy
import Testing

@testable import Fleet

/// The demo fleet as a snapshot: deterministic, canonical, well-formed (DESIGN §3).
@Suite struct DemoFleetTests {
    // MARK: - Determinism

    @Test func theSameSeedGivesTheSameBytes() throws {
        // Given two fleets built from the same inputs
        let first = try DemoFleetFixture.jsonLines(DemoFleet(seed: 7, scale: 2))
        let second = try DemoFleetFixture.jsonLines(DemoFleet(seed: 7, scale: 2))
        // Then their files are byte-identical
        #expect(first == second)
        #expect(first.count > 1_000_000)
    }

    @Test func anotherSeedGivesAnotherFleet() throws {
        let one = try DemoFleetFixture.jsonLines(DemoFleet(seed: 1))
        let two = try DemoFleetFixture.jsonLines(DemoFleet(seed: 2))
        #expect(one != two)
    }

    @Test func anotherClockMovesEveryInstant() {
        let later = Timestamp(secondsSince1970: DemoFleet.defaultNow.secondsSince1970 + 3_600)
        var first: DemoRecord?
        DemoFleet(now: later).records { record in
            if first == nil { first = record }
        }
        #expect(first == .generatedAt(later))
        #expect(DemoFleet.defaultNow.description == "2026-11-28T10:00:00Z")
    }

    // MARK: - Canonical model

    @Test func everyResourceIsOneOfItsPlatformsProjections() throws {
        let manifest = try PlatformSupportManifest.bundled { try Data(contentsOf: $0) }
        for resource in DemoFleetFixture.resources {
            let platformName = try #require(resource["platform"]?.stringValue)
            let type = try #require(resource["type"]?.stringValue)
            let platform = try #require(manifest.platform(for: PlatformID(platformName)), "\(platformName)")
            #expect(platform.governance != .presentationOnly, "\(resource["id"] ?? nil)")
            #expect(platform.projections.contains(type), "\(platformName) does not project \(type)")
        }
    }

    @Test func vSphereIsPresentOnlyInItsPhaseOneProjections() {
        let types = Set(DemoFleetFixture.resources.filter { $0["platform"] == "vmware-vsphere" }
            .compactMap { $0["type"]?.stringValue })
        #expect(types == ["agent", "vm", "storage"])
    }

    @Test func runtimeVariantsAreTechnologiesNeverPlatforms() {
        let platforms = Set(DemoFleetFixture.resources.compactMap { $0["platform"]?.stringValue })
        #expect(platforms == [
            "proxmox-pve", "proxmox-pbs", "proxmox-pmg", "docker", "kubernetes", "truenas", "agent", "vmware-vsphere",
        ])
        let technologies = Set(DemoFleetFixture.resources.compactMap { $0["technology"]?.stringValue })
        #expect(technologies.isSuperset(of: ["podman", "qemu", "lxc", "docker"]))
    }

    // MARK: - Structure

    @Test(arguments: [1, 3])
    func idsAreUniqueAndParentsComeFirst(scale: Int) throws {
        var seen = Set<String>()
        for resource in DemoFleetFixture.resources(scale: scale) {
            let id = try #require(resource["id"]?.stringValue)
            #expect(!id.contains(" ") && !id.isEmpty)
            if let parent = resource["parentId"]?.stringValue {
                // A parent seen earlier in the stream: no dangling parent, and no cycle can close.
                #expect(seen.contains(parent), "\(id) comes before its parent \(parent)")
            }
            #expect(seen.insert(id).inserted, "duplicate id \(id)")
        }
    }

    @Test func hostAndWorkloadNamesAreUnique() {
        // Storage and disks repeat their names per host (`local-lvm`, `sda`), as they do in real fleets.
        let named = DemoFleetFixture.resources(scale: 3).filter {
            !["storage", "physical-disk", "ceph"].contains($0["type"]?.stringValue ?? "")
        }
        var seen = Set<String>()
        for name in named.compactMap({ $0["name"]?.stringValue }) {
            #expect(seen.insert(name).inserted, "two resources are named \(name)")
        }
    }

    @Test func fieldsHoldTheirVocabulary() throws {
        let workloads: Set<String> = ["vm", "system-container", "app-container", "pod"]
        let integers = ["memoryUsed", "memoryTotal", "diskUsed", "diskTotal", "uptimeSeconds"]
        for resource in DemoFleetFixture.resources {
            let id = resource["id"]?.stringValue ?? "?"
            let statuses: Set<String> = ["online", "offline", "warning", "unknown"]
            #expect(statuses.contains(resource["status"]?.stringValue ?? ""), "\(id)")
            let type = resource["type"]?.stringValue ?? ""
            if workloads.contains(type) {
                #expect(["running", "stopped", "paused", "unknown"].contains(resource["powerState"]?.stringValue ?? ""))
            } else {
                #expect(resource["powerState"] == nil, "\(id) is not a workload")
            }
            let metrics = try #require(resource["metrics"]?.objectValue)
            if let cpu = metrics["cpu"] { #expect((0...1).contains(cpu.doubleValue ?? -1), "\(id)") }
            for key in integers { if let value = metrics[key] { #expect(value.typeName == "integer", "\(id).\(key)") } }
            for (used, total) in [("memoryUsed", "memoryTotal"), ("diskUsed", "diskTotal")] {
                if let used = metrics[used]?.integerValue, let total = metrics[total]?.integerValue {
                    #expect(0 <= used && used <= total, "\(id): \(used) > \(total)")
                }
            }
            let lastSeen = try #require(resource["lastSeen"]?.stringValue.flatMap(Timestamp.init))
            #expect(lastSeen <= DemoFleet.defaultNow)
            for key in ["tags", "sources"] { #expect(resource[key]?.arrayValue != nil, "\(id).\(key)") }
            for key in ["identity", "details"] { #expect(resource[key]?.objectValue != nil, "\(id).\(key)") }
        }
    }

    @Test func scaleOneIsAboutThreeHundredResources() {
        let count = DemoFleetFixture.resources.count
        #expect((280...330).contains(count))
        #expect(DemoFleet().resourceCount == count)
    }
}
