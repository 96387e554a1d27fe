import Testing

@testable import Policy

/// Hand-written decisions with their exact wording: what a person reads when control is refused.
@Suite struct ControlDecisionCaseTests {
    static let now = 50_000.0

    static let pveNode = ControlTarget.Ancestor(id: "node/pve1", type: .agent, name: "pve1")

    /// VM 100 `web` on PVE node `pve1`, running.
    static func pveVM(_ action: ControlAction = .stop) -> ControlInputs {
        ControlInputs(
            target: ControlTarget(
                id: "pve/qemu/100", type: .vm, platform: "proxmox-pve", name: "web", powerState: "running",
                ancestors: [pveNode]),
            requestedResourceId: "pve/qemu/100", action: action, level: .autonomous, now: now)
    }

    static let pveConnection = ControlEndpoint.Connection(
        id: "pve-api", platform: "proxmox-pve", rootResourceId: "node/pve1", endpoint: "https://pve1:8006",
        controlEnabled: true)

    static func agent(
        _ id: String, on host: String, commands: Bool = true, heartbeat: Double? = now
    ) -> ControlEndpoint.Agent {
        .init(id: id, hostResourceId: host, endpoint: "unix:/run/\(id).sock", commandsEnabled: commands,
              lastHeartbeat: heartbeat)
    }

    // MARK: - Augmentation-only (Proxmox VE)

    @Test func pveVMOnANodeWithoutAnAgentNamesTheNode() throws {
        // Given a PVE VM whose node has no agent, and a PVE connection with control enabled
        var inputs = Self.pveVM()
        inputs.connections = [Self.pveConnection]
        // When
        let decision = ControlPolicy.decide(inputs, manifest: try Fixtures.shippedManifest())
        // Then
        #expect(decision == .refuse(
            code: .noAugmentingAgent,
            message: "Cannot stop vm 'web' (pve/qemu/100) on Proxmox VE (proxmox-pve, assistant control: augmentation-only): the Pulse agent on its node 'pve1' (node/pve1) is missing.",
            hint: "Install a Pulse agent with commands enabled on node 'pve1' (node/pve1). Proxmox VE is controlled only through that agent, never through its API."
        ))
    }

    @Test func pveVMIsRoutedToTheNodeAgentNeverTheConnection() throws {
        var inputs = Self.pveVM()
        inputs.connections = [Self.pveConnection]
        inputs.agents = [Self.agent("agent-pve1", on: "node/pve1")]
        inputs.level = .controlled
        let decision = ControlPolicy.decide(inputs, manifest: try Fixtures.shippedManifest())
        #expect(decision == .route(
            to: .init(kind: .agent, id: "agent-pve1", endpoint: "unix:/run/agent-pve1.sock"), level: .controlled))
        #expect(decision.needsApproval)
    }

    @Test func pveNodeItselfIsRoutedToItsOwnAgent() throws {
        let inputs = ControlInputs(
            target: .init(id: "node/pve1", type: .agent, platform: "pve", name: "pve1", powerState: "running"),
            requestedResourceId: "node/pve1", action: .reboot, level: .autonomous,
            agents: [Self.agent("agent-pve1", on: "node/pve1")], connections: [Self.pveConnection], now: Self.now)
        let decision = ControlPolicy.decide(inputs, manifest: try Fixtures.shippedManifest())
        #expect(decision.outcome == .route(to: .init(kind: .agent, id: "agent-pve1", endpoint: "unix:/run/agent-pve1.sock")))
        #expect(!decision.needsApproval)
    }

    @Test func pveAgentWithCommandsDisabledSaysSo() throws {
        var inputs = Self.pveVM(.shutdown)
        inputs.agents = [Self.agent("agent-pve1", on: "node/pve1", commands: false)]
        let decision = ControlPolicy.decide(inputs, manifest: try Fixtures.shippedManifest())
        #expect(decision == .refuse(
            code: .noAugmentingAgent,
            message: "Cannot shutdown vm 'web' (pve/qemu/100) on Proxmox VE (proxmox-pve, assistant control: augmentation-only): the Pulse agent on its node 'pve1' (node/pve1) ('agent-pve1') has commands disabled.",
            hint: "Enable commands on the Pulse agent on node 'pve1' (node/pve1). Proxmox VE is controlled only through that agent, never through its API."
        ))
    }

    /// The window is inclusive: a heartbeat exactly `heartbeatWindow` old is fresh, one second more is stale.
    @Test(arguments: [(300.0, true), (301.0, false)])
    func heartbeatWindowBoundary(age: Double, fresh: Bool) throws {
        var inputs = Self.pveVM()
        inputs.agents = [Self.agent("agent-pve1", on: "node/pve1", heartbeat: Self.now - age)]
        let decision = ControlPolicy.decide(inputs, manifest: try Fixtures.shippedManifest())
        #expect(decision.dispatches == fresh)
        if !fresh {
            #expect(decision == .refuse(
                code: .noAugmentingAgent,
                message: "Cannot stop vm 'web' (pve/qemu/100) on Proxmox VE (proxmox-pve, assistant control: augmentation-only): the Pulse agent on its node 'pve1' (node/pve1) is stale (last heartbeat at 49699, older than the 300 s window).",
                hint: "Bring the Pulse agent on node 'pve1' (node/pve1) back online (it must heartbeat within the window), or install one with commands enabled. Proxmox VE is controlled only through that agent, never through its API."
            ))
        }
    }

    // MARK: - Supported

    @Test func dockerContainerRestartsOnItsHostsAgent() throws {
        let inputs = ControlInputs(
            target: .init(
                id: "docker/abc", type: .appContainer, platform: "docker", name: "nginx", powerState: "running",
                ancestors: [.init(id: "host/h1", type: .agent, name: "h1")]),
            requestedResourceId: "docker/abc", action: .restart, level: .autonomous,
            agents: [Self.agent("agent-h2", on: "host/h2"), Self.agent("agent-h1", on: "host/h1")], now: Self.now)
        let decision = ControlPolicy.decide(inputs, manifest: try Fixtures.shippedManifest())
        #expect(decision == .execute(
            via: .init(kind: .agent, id: "agent-h1", endpoint: "unix:/run/agent-h1.sock"), level: .autonomous))
    }

    @Test func kubernetesUsesTheNearestAncestorWithAnAgent() throws {
        let inputs = ControlInputs(
            target: .init(
                id: "k8s/deploy/api", type: .k8sDeployment, platform: "k8s", name: "api",
                ancestors: [.init(id: "k8s/ns/prod", type: .k8sCluster, name: "prod"),
                            .init(id: "k8s/cluster", type: .k8sCluster, name: "main")]),
            requestedResourceId: "k8s/deploy/api", action: .scale, replicas: 3, level: .autonomous,
            agents: [Self.agent("agent-cluster", on: "k8s/cluster"), Self.agent("agent-ns", on: "k8s/ns/prod")],
            now: Self.now)
        let decision = ControlPolicy.decide(inputs, manifest: try Fixtures.shippedManifest())
        #expect(decision.route?.id == "agent-ns")
    }

    @Test func trueNASUsesItsConnectionNotAnAgent() throws {
        let inputs = ControlInputs(
            target: .init(
                id: "truenas/app/plex", type: .appContainer, platform: "truenas", name: "plex", powerState: "stopped",
                ancestors: [.init(id: "truenas/nas1", type: .agent, name: "nas1")]),
            requestedResourceId: "truenas/app/plex", action: .start, level: .controlled,
            agents: [Self.agent("agent-nas1", on: "truenas/nas1")],
            connections: [
                .init(id: "pve-api", platform: "proxmox-pve", rootResourceId: "truenas/nas1", endpoint: "x", controlEnabled: true),
                .init(id: "nas1-api", platform: "truenas", rootResourceId: "truenas/nas1", endpoint: "wss://nas1", controlEnabled: true),
            ],
            now: Self.now)
        let decision = ControlPolicy.decide(inputs, manifest: try Fixtures.shippedManifest())
        #expect(decision == .execute(
            via: .init(kind: .platformConnection, id: "nas1-api", endpoint: "wss://nas1"), level: .controlled))
        #expect(decision.needsApproval)
    }

    @Test func dockerHostWithoutAgentIsExecutorUnavailable() throws {
        let inputs = ControlInputs(
            target: .init(
                id: "docker/abc", type: .appContainer, platform: "docker", name: "nginx",
                ancestors: [.init(id: "host/h1", type: .agent, name: "h1")]),
            requestedResourceId: "docker/abc", action: .stop, level: .autonomous, now: Self.now)
        let decision = ControlPolicy.decide(inputs, manifest: try Fixtures.shippedManifest())
        #expect(decision == .refuse(
            code: .executorUnavailable,
            message: "Cannot stop app-container 'nginx' (docker/abc) on Docker (docker, assistant control: supported): no Pulse agent runs on it or on any resource above it.",
            hint: "Install a Pulse agent with commands enabled on 'h1' (host/h1) and wait for its first heartbeat."
        ))
    }

    // MARK: - Refusals before the class

    @Test func unknownResourceIsNotFound() throws {
        let inputs = ControlInputs(target: nil, requestedResourceId: "nope", action: .start, level: .autonomous, now: Self.now)
        #expect(ControlPolicy.decide(inputs, manifest: try Fixtures.shippedManifest()) == .refuse(
            code: .resourceNotFound,
            message: "Cannot start resource 'nope': no resource has that id, so it has no platform and no assistant-control class.",
            hint: "Find the resource's id with search_resources and call again with it."
        ))
    }

    @Test func vSphereVMIsNotSupported() throws {
        let inputs = ControlInputs(
            target: .init(id: "vc/vm-1", type: .vm, platform: "vsphere", name: "db", powerState: "running"),
            requestedResourceId: "vc/vm-1", action: .stop, level: .autonomous,
            agents: [Self.agent("a", on: "vc/vm-1")], now: Self.now)
        #expect(ControlPolicy.decide(inputs, manifest: try Fixtures.shippedManifest()) == .refuse(
            code: .platformNotSupported,
            message: "Cannot stop vm 'db' (vc/vm-1): it belongs to VMware vSphere (vmware-vsphere), which is admitted, not supported, so it has no assistant-control class and is never controlled.",
            hint: "Control opens only when the platform is supported in the platform-support manifest with an assistant-control class; reads still work."
        ))
    }

    @Test func pbsDatastoreIsReadOnly() throws {
        let inputs = ControlInputs(
            target: .init(id: "pbs/ds/main", type: .storage, platform: "pbs", name: "main"),
            requestedResourceId: "pbs/ds/main", action: .start, level: .autonomous, now: Self.now)
        let decision = ControlPolicy.decide(inputs, manifest: try Fixtures.shippedManifest())
        // A datastore takes no action at all, which is decided before the class.
        #expect(decision.refusalCode == .actionNotApplicable)
        let pbs = ControlInputs(
            target: .init(id: "pbs/host", type: .agent, platform: "pbs", name: "backup1"),
            requestedResourceId: "pbs/host", action: .reboot, level: .autonomous, now: Self.now)
        #expect(ControlPolicy.decide(pbs, manifest: try Fixtures.shippedManifest()) == .refuse(
            code: .platformReadOnly,
            message: "Cannot reboot agent 'backup1' (pbs/host): Proxmox Backup Server (proxmox-pbs, assistant control: read-only) is read-only to the assistant.",
            hint: "Nothing the caller can change opens control here: it needs Proxmox Backup Server's assistant control to be reclassified in the platform-support manifest. Use Proxmox Backup Server's own tools instead."
        ))
    }

    @Test func readOnlyLevelIsControlDisabled() throws {
        var inputs = Self.pveVM()
        inputs.level = .readOnly
        inputs.agents = [Self.agent("agent-pve1", on: "node/pve1")]
        #expect(ControlPolicy.decide(inputs, manifest: try Fixtures.shippedManifest()) == .refuse(
            code: .controlDisabled,
            message: "Cannot stop vm 'web' (pve/qemu/100) on Proxmox VE (proxmox-pve, assistant control: augmentation-only): the control level is read-only.",
            hint: "The operator can set the control level to controlled or autonomous (--control-level, PULSE_ASSISTANT_CONTROL_LEVEL or the config file); a tool argument cannot."
        ))
    }

    @Test func startOnARunningVMIsNotApplicable() throws {
        let decision = ControlPolicy.decide(Self.pveVM(.start), manifest: try Fixtures.shippedManifest())
        #expect(decision == .refuse(
            code: .actionNotApplicable,
            message: "Cannot start vm 'web' (pve/qemu/100) on Proxmox VE (proxmox-pve, assistant control: augmentation-only): it is already running.",
            hint: "Read the resource's power state again; start applies once it has changed."
        ))
    }

    @Test func anActionTheTypeDoesNotTakeListsTheOnesItDoes() throws {
        let decision = ControlPolicy.decide(Self.pveVM(.scale), manifest: try Fixtures.shippedManifest())
        #expect(decision == .refuse(
            code: .actionNotApplicable,
            message: "Cannot scale vm 'web' (pve/qemu/100) on Proxmox VE (proxmox-pve, assistant control: augmentation-only): a vm does not take scale (it takes: start, stop, shutdown, reboot).",
            hint: "Ask for one of: start, stop, shutdown, reboot."
        ))
    }
}
