import Testing

@testable import Policy

@Suite struct ControlActionTests {
    @Test(arguments: ResourceType.allCases)
    func actionsByResourceTypeFollowDesign(_ type: ResourceType) {
        let expected: [ResourceType: [ControlAction]] = [
            .vm: [.start, .stop, .shutdown, .reboot], .systemContainer: [.start, .stop, .shutdown, .reboot],
            .appContainer: [.start, .stop, .restart, .update], .k8sDeployment: [.restart, .scale], .pod: [.delete],
            .agent: [.reboot, .installOSUpdates, .cleanPackageCache],
        ]
        #expect(ControlAction.actions(for: type) == expected[type, default: []])
    }

    @Test(arguments: [
        (ControlAction.start, "running", false), (.start, "RUNNING", false), (.start, "stopped", true),
        (.stop, "stopped", false), (.shutdown, "stopped", false), (.reboot, "stopped", false),
        (.restart, "stopped", true), (.stop, "paused", true), (.stop, nil, true),
    ] as [(ControlAction, String?, Bool)])
    func powerStateConflicts(action: ControlAction, state: String?, allowed: Bool) {
        #expect((action.conflict(withPowerState: state) == nil) == allowed)
    }

    @Test func wireNames() {
        #expect(ControlLevel.allCases.map(\.rawValue) == ["read-only", "controlled", "autonomous"])
        #expect(ControlLevel.default == .readOnly)
        #expect(RefusalCode.allCases.map(\.rawValue).starts(with: [
            "resource_not_found", "platform_not_supported", "action_not_applicable", "control_disabled",
            "executor_unavailable", "no_augmenting_agent", "platform_read_only", "control_not_applicable",
        ]))
        #expect(ControlDecision.Route.Kind.platformConnection.rawValue == "platform-connection")
    }
}
