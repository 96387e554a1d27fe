import Testing

@testable import Policy

extension GovernanceLintTests {
    static let governanceCases: [LintCase] = [
        .init("presentation-only projects", Fixtures.edit("aws") { $0.projections = ["vm"] }, [
            ("aws", "projections", "presentation-only vocabulary projects nothing", .presentationOnlyIsNotSupport),
        ]),
        .init("presentation-only with a floor and a mode", Fixtures.edit("unraid") {
            $0.supportFloor = SupportFloor(setup: .supported)
            $0.proposedFloor = SupportFloor(setup: .supported)
            $0.primaryMode = .apiBacked
            $0.readinessStage = .architectureLocked
        }, [
            ("unraid", "supportFloor", "presentation-only vocabulary supports nothing", .presentationOnlyIsNotSupport),
            ("unraid", "proposedFloor", "presentation-only vocabulary supports nothing", .presentationOnlyIsNotSupport),
            ("unraid", "primaryMode", "presentation-only vocabulary has no primary ingestion mode",
             .presentationOnlyIsNotSupport),
            ("unraid", "readinessStage", "presentation-only vocabulary has no readiness stage",
             .presentationOnlyIsNotSupport),
        ]),
        .init("first-lab-ready floor in the support matrix", Fixtures.edit("vmware-vsphere") {
            $0.supportFloor = $0.proposedFloor
        }, [
            ("vmware-vsphere", "supportFloor",
             "a first-lab-ready platform makes no support claim; record its floor as proposedFloor",
             .firstLabReadyIsNotSupport),
        ]),
        .init("admitted floor in the support matrix", Fixtures.edit("vmware-vsphere") {
            $0.readinessStage = .architectureLocked
            $0.supportFloor = $0.proposedFloor
        }, [
            ("vmware-vsphere", "supportFloor",
             "an admitted platform is not in the support matrix; record its floor as proposedFloor",
             .onlySupportedChangesMatrix),
        ]),
        .init("first-lab-ready called supported", Fixtures.edit("vmware-vsphere") { $0.governance = .supported }, [
            ("vmware-vsphere", "readinessStage", "a first-lab-ready platform cannot be governance supported",
             .firstLabReadyIsNotSupport),
            ("vmware-vsphere", "supportFloor", "a supported platform declares its support-floor row",
             .definesFirstClassPlatform),
        ]),
        .init("supported platform short of stage supported", Fixtures.edit("docker") {
            $0.readinessStage = .architectureLocked
        }, [
            ("docker", "readinessStage", "a supported platform is at stage supported, not architecture-locked",
             .supportedStage),
        ]),
        .init("admitted platform at stage supported", Fixtures.edit("vmware-vsphere") { $0.readinessStage = .supported }, [
            ("vmware-vsphere", "readinessStage",
             #""supported" is the stage of supported platforms; an admitted platform is architecture-locked or first-lab-ready"#,
             .supportedStage),
        ]),
        .init("admitted platform without a stage", Fixtures.edit("vmware-vsphere") { $0.readinessStage = nil }, [
            ("vmware-vsphere", "readinessStage",
             "an admitted platform declares its stage: architecture-locked or first-lab-ready", .preSupportStage),
        ]),
        .init("supported platform without an onboarding path", Fixtures.edit("kubernetes") { $0.onboardingPath = nil }, [
            ("kubernetes", "onboardingPath", "a supported platform declares its onboarding path",
             .definesFirstClassPlatform),
        ]),
        .init("supported platform without a mode", Fixtures.edit("proxmox-pmg") { $0.primaryMode = nil }, [
            ("proxmox-pmg", "primaryMode", "a supported platform declares one primary ingestion mode",
             .definesFirstClassPlatform),
        ]),
        .init("supported platform without projections", Fixtures.edit("proxmox-pmg") { $0.projections = [] }, [
            ("proxmox-pmg", "projections", "a supported platform declares at least one canonical projection",
             .definesFirstClassPlatform),
        ]),
        .init("supported platform without a floor", Fixtures.edit("agent") { $0.supportFloor = nil }, [
            ("agent", "supportFloor", "a supported platform declares its support-floor row", .definesFirstClassPlatform),
        ]),
        .init("duplicate id", Fixtures.appendCopy(of: "docker") { _ in }, [
            ("docker", "id", #""docker" is declared twice (also platforms[1])"#, .consistentNormalization),
        ]),
        .init("alias that is another platform's alias", Fixtures.edit("proxmox-pbs") { $0.aliases.append("Proxmox") }, [
            ("proxmox-pbs", "aliases[1]", #""Proxmox" is not a lowercase alias of [a-z0-9-]"#, .consistentNormalization),
            ("proxmox-pbs", "aliases[1]", #""Proxmox" is also an alias of proxmox-pve"#, .consistentNormalization),
        ]),
        .init("alias that is another platform's id", Fixtures.edit("truenas") { $0.aliases = ["docker"] }, [
            ("truenas", "aliases[0]", #""docker" is also the id of docker"#, .consistentNormalization),
        ]),
        .init("id that is not lowercase", Fixtures.edit("gcp") { $0.id = "GCP" }, [
            ("GCP", "id", #""GCP" is not a lowercase id of [a-z0-9-]"#, .consistentNormalization),
        ]),
        .init("runtime variant as an id", Fixtures.appendCopy(of: "docker") { $0.id = "podman" }, [
            ("podman", "id", #""podman" is a runtime variant, not a platform id"#, .runtimeVariantsAreNotPlatforms),
        ]),
        .init("runtime variant as an alias", Fixtures.edit("proxmox-pve") { $0.aliases.append("lxc") }, [
            ("proxmox-pve", "aliases[2]", #""lxc" is a runtime variant, not a platform alias"#,
             .runtimeVariantsAreNotPlatforms),
        ]),
    ]

    @Test(arguments: governanceCases)
    func governanceRules(_ testCase: LintCase) throws {
        try Self.check(testCase)
    }

    @Test func everySeedRuleHasAFailingCase() {
        let covered = Set((Self.floorCases + Self.governanceCases).flatMap { $0.expected.map(\.rule) })
        #expect(covered == Set(SeedRule.allCases))
    }
}
