import Testing

@testable import Policy

/// For a resource synced from Pulse, the matrix class decides as always and the action goes through
/// the Pulse server: never to an agent or connection endpoint of the store.
@Suite struct ControlPolicyPulseTests {
    static let server = ControlEndpoint.PulseServer(endpoint: "https://pulse.lan:7655")

    static func inputs(
        platform: String, type: ResourceType, action: ControlAction, level: ControlLevel = .autonomous,
        agent: ControlEndpoint.Agent? = nil, server: ControlEndpoint.PulseServer? = ControlPolicyPulseTests.server
    ) -> ControlInputs {
        let node = ControlTarget.Ancestor(id: "agent-node", type: .agent, name: "pve1")
        let target = ControlTarget(
            id: type == .agent ? "agent-node" : "res-1", type: type, platform: platform, name: type == .agent ? "pve1" : "web-01",
            powerState: "running", ancestors: type == .agent ? [] : [node], origin: .pulse
        )
        return ControlInputs(
            target: target, requestedResourceId: target.id, action: action, level: level,
            agents: agent.map { [$0] } ?? [], pulseServer: server, now: 1_000
        )
    }

    /// An agent as a sync stores it: stale by the store's clock, commands off. Pulse says whether it can act.
    static let syncedAgent = ControlEndpoint.Agent(
        id: "pulse-agent:host-1", hostResourceId: "agent-node", endpoint: "pulse:host-1", commandsEnabled: false, lastHeartbeat: 10
    )

    @Test(arguments: [
        ("docker", ResourceType.appContainer, ControlAction.restart),
        ("docker", .appContainer, .update),
        ("agent", .agent, .installOSUpdates),
        ("agent", .agent, .cleanPackageCache),
        ("kubernetes", .pod, .delete),
        ("truenas", .appContainer, .restart),
    ])
    func supportedGoesThroughPulse(platform: String, type: ResourceType, action: ControlAction) throws {
        let manifest = try Fixtures.shippedManifest()
        let decision = ControlPolicy.decide(Self.inputs(platform: platform, type: type, action: action), manifest: manifest)
        #expect(decision.outcome == .execute(via: .init(kind: .pulse, id: "pulse", endpoint: "https://pulse.lan:7655")))
        #expect(!decision.needsApproval)
    }

    @Test func augmentationOnlyNeedsAnAgentOnTheNodeAndRoutesThroughPulse() throws {
        let manifest = try Fixtures.shippedManifest()
        let routed = ControlPolicy.decide(
            Self.inputs(platform: "proxmox-pve", type: .vm, action: .reboot, level: .controlled, agent: Self.syncedAgent), manifest: manifest
        )
        #expect(routed.outcome == .route(to: .init(kind: .pulse, id: "pulse", endpoint: "https://pulse.lan:7655", via: "pulse-agent:host-1")))
        #expect(routed.needsApproval)

        let orphan = ControlPolicy.decide(Self.inputs(platform: "proxmox-pve", type: .vm, action: .reboot), manifest: manifest)
        #expect(orphan.refusalCode == .noAugmentingAgent)
        guard case .refuse(_, let message, let hint) = orphan.outcome else { return }
        #expect(message.contains("'pve1' (agent-node)"))
        #expect(hint.contains("never through its API"))
    }

    @Test func withoutAPulseServerASyncedResourceIsRefused() throws {
        let manifest = try Fixtures.shippedManifest()
        let decision = ControlPolicy.decide(
            Self.inputs(platform: "docker", type: .appContainer, action: .restart, server: nil), manifest: manifest
        )
        #expect(decision.refusalCode == .executorUnavailable)
    }

    @Test(arguments: [
        ("proxmox-pbs", ResourceType.pbs, ControlAction.reboot, RefusalCode.actionNotApplicable),
        ("vmware-vsphere", .vm, .stop, .platformNotSupported),
        ("docker", .appContainer, .shutdown, .actionNotApplicable),
    ])
    func theMatrixStillRefusesFirst(platform: String, type: ResourceType, action: ControlAction, code: RefusalCode) throws {
        let manifest = try Fixtures.shippedManifest()
        #expect(ControlPolicy.decide(Self.inputs(platform: platform, type: type, action: action), manifest: manifest).refusalCode == code)
        let readOnly = ControlPolicy.decide(
            Self.inputs(platform: "docker", type: .appContainer, action: .restart, level: .readOnly), manifest: manifest
        )
        #expect(readOnly.refusalCode == .controlDisabled)
    }
}
