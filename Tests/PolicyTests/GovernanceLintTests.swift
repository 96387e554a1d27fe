import Testing

@testable import Policy

/// Each case derives a broken manifest from the shipped one by one small edit and asserts the exact
/// violations, so every rule is shown to fire, to fire once, and to say precisely what is wrong.
@Suite struct GovernanceLintTests {
    struct LintCase: Sendable, CustomTestStringConvertible {
        var name: String
        var edit: Fixtures.ManifestEdit
        var expected: [GovernanceViolation]
        var testDescription: String { name }

        init(_ name: String, _ edit: @escaping Fixtures.ManifestEdit, _ expected: [(PlatformID, String, String, SeedRule)]) {
            self.name = name
            self.edit = edit
            self.expected = expected.map { .init(platform: $0.0, field: $0.1, message: $0.2, rule: $0.3) }
        }
    }

    static func check(_ testCase: LintCase) throws {
        let violations = GovernanceLint.check(try Fixtures.manifest(after: testCase.edit))
        #expect(violations == testCase.expected)
    }

    @Test func shippedManifestFollowsTheSeed() throws {
        let violations = GovernanceLint.check(try Fixtures.shippedManifest())
        #expect(violations.isEmpty, "\(LintReport(violations: violations).text)")
    }

    static let floorCases: [LintCase] = [
        .init("unknown support value", Fixtures.edit("proxmox-pbs") { $0.supportFloor?.storage = .unknown("partial") }, [
            ("proxmox-pbs", "supportFloor.storage",
             #""partial" is not a support value; a supported platform marks each surface supported or n/a"#,
             .supportedSurfaces),
        ]),
        .init("read-only storage on a supported platform",
              Fixtures.edit("proxmox-pbs") { $0.supportFloor?.storage = .readOnly }, [
            ("proxmox-pbs", "supportFloor.storage",
             #""read-only" is neither supported nor n/a; a supported platform marks each surface supported or n/a"#,
             .supportedSurfaces),
        ]),
        .init("unknown proposed value", Fixtures.edit("vmware-vsphere") { $0.proposedFloor?.alerts = .unknown("soon") }, [
            ("vmware-vsphere", "proposedFloor.alerts",
             #""soon" is not a support value; use supported, augmentation-only, read-only or n/a"#, .supportedSurfaces),
        ]),
        .init("blank surface", Fixtures.edit("docker") { $0.supportFloor?.alerts = nil }, [
            ("docker", "supportFloor.alerts", "is blank; declare supported, augmentation-only, read-only or n/a",
             .completeFloor),
        ]),
        .init("unknown control class", Fixtures.edit("proxmox-pmg") { $0.supportFloor?.assistantControl = .unknown("maybe") }, [
            ("proxmox-pmg", "supportFloor.assistantControl",
             #""maybe" is not an assistant control class; use supported, augmentation-only, read-only or n/a"#,
             .controlClassification),
        ]),
        .init("workloads claimed without workload projections",
              Fixtures.edit("agent") { $0.supportFloor?.workloads = .supported }, [
            ("agent", "supportFloor.workloads", #"is "supported", but agent projects no workload type; mark it n/a"#,
             .surfaceApplicability),
        ]),
        .init("applicable storage marked n/a", Fixtures.edit("proxmox-pbs") { $0.supportFloor?.storage = .notApplicable }, [
            ("proxmox-pbs", "supportFloor.storage", "is n/a, but proxmox-pbs projects storage or disk types (storage)",
             .surfaceApplicability),
        ]),
        .init("workload projections dropped", Fixtures.edit("docker") { $0.projections = ["agent"] }, [
            ("docker", "supportFloor.workloads", #"is "supported", but docker projects no workload type; mark it n/a"#,
             .surfaceApplicability),
        ]),
        .init("hybrid without owners", Fixtures.edit("proxmox-pve") { $0.primaryMode = .hybrid }, [
            ("proxmox-pve", "hybrid", "primary mode is hybrid but nothing names what is primary and what augments",
             .explicitHybrid),
        ]),
        .init("hybrid with a blank augmentation", Fixtures.edit("truenas") {
            $0.primaryMode = .hybrid
            $0.hybrid = HybridOwnership(primary: "TrueNAS JSON-RPC poller", augmentation: " ")
        }, [
            ("truenas", "hybrid.augmentation", "is blank; name the path that only augments", .explicitHybrid),
        ]),
        .init("provider-local projection", Fixtures.edit("truenas") { $0.projections.append("truenas-pool") }, [
            ("truenas", "projections[4]", #""truenas-pool" is not a canonical resource type"#, .canonicalProjections),
        ]),
        .init("provider-local vSphere projection", Fixtures.edit("vmware-vsphere") { $0.projections[0] = "esxi-host" }, [
            ("vmware-vsphere", "projections[0]", #""esxi-host" is not a canonical resource type"#, .canonicalProjections),
        ]),
        .init("duplicate projection", Fixtures.edit("agent") { $0.projections.append("storage") }, [
            ("agent", "projections[3]", #""storage" is already listed at projections[1]"#, .explicitProjections),
        ]),
        .init("augmentation-only control with no augmentation", Fixtures.edit("proxmox-pve") { $0.augmentation = nil }, [
            ("proxmox-pve", "supportFloor.assistantControl",
             "is augmentation-only but proxmox-pve declares no augmentation path to route control through",
             .augmentationOnlyControl),
        ]),
    ]

    @Test(arguments: floorCases)
    func floorRules(_ testCase: LintCase) throws {
        try Self.check(testCase)
    }

    @Test func everyViolationIsReportedAtOnce() throws {
        let manifest = try Fixtures.manifest(after: { manifest in
            for index in manifest.platforms.indices where manifest.platforms[index].isSupported {
                manifest.platforms[index].supportFloor?.recovery = .unknown("partial")
            }
        })
        #expect(GovernanceLint.check(manifest).map(\.platform) == Array(manifest.ids.prefix(7)))
    }
}
