import Testing

@testable import Policy

/// Exhaustive, table-driven tests of ``ControlPolicy/decide(_:manifest:)`` against an oracle written here,
/// independently of the policy's code: every platform of the shipped manifest × every type it projects
/// (every type for platforms that project none) × every action × power state × level × endpoint state.
@Suite struct ControlDecisionTests {
    /// How the endpoints around the resource look.
    enum EndpointState: String, CaseIterable, Sendable {
        /// A fresh agent with commands on the host, an enabled connection at the same root.
        case present
        /// The host's agent last heard from past the window; connections have no heartbeat, so it stays enabled.
        case stale
        /// The host's agent has commands off, the connection has control off.
        case commandsDisabled
        /// No agent on the host, no connection.
        case absent
    }

    /// What the oracle expects.
    enum Expected: Equatable {
        case execute(ControlDecision.Route.Kind, String)
        case route(String)
        case refuse(RefusalCode)
    }

    static let now = 10_000.0
    static let window = 300.0
    static let powerStates: [String?] = [nil, "running", "stopped"]

    // MARK: - The oracle

    /// The control path of each platform of the shipped manifest, as DESIGN §5 and the seed say it.
    enum Path { case agentHost, connection, augmentingAgent, readOnly, notApplicable, notSupported }

    static let paths: [String: Path] = [
        "agent": .agentHost, "docker": .agentHost, "kubernetes": .agentHost, "truenas": .connection,
        "proxmox-pve": .augmentingAgent, "proxmox-pbs": .readOnly, "proxmox-pmg": .readOnly,
    ]

    /// DESIGN §4, written out again rather than read from `ControlAction`, with Pulse's own actions
    /// (`update`, `install_os_updates`, `clean_package_cache`, `PULSE_API.md` §4.4).
    static let allowed: [String: Set<String>] = [
        "vm": ["start", "stop", "shutdown", "reboot"], "system-container": ["start", "stop", "shutdown", "reboot"],
        "app-container": ["start", "stop", "restart", "update"], "k8s-deployment": ["restart", "scale"], "pod": ["delete"],
        "agent": ["reboot", "install_os_updates", "clean_package_cache"],
    ]

    static func oracle(
        platform: String, type: ResourceType, action: ControlAction, power: String?, level: ControlLevel,
        endpoints: EndpointState
    ) -> Expected {
        let path = paths[platform] ?? .notSupported
        if path == .notSupported { return .refuse(.platformNotSupported) }
        guard allowed[type.rawValue, default: []].contains(action.rawValue) else { return .refuse(.actionNotApplicable) }
        if power == "running", action == .start { return .refuse(.actionNotApplicable) }
        if power == "stopped", [.stop, .shutdown, .reboot].contains(action) { return .refuse(.actionNotApplicable) }
        if level == .readOnly { return .refuse(.controlDisabled) }
        switch path {
        case .agentHost:
            return endpoints == .present ? .execute(.agent, "agent-host") : .refuse(.executorUnavailable)
        case .connection:
            return [.present, .stale].contains(endpoints)
                ? .execute(.platformConnection, "conn-host") : .refuse(.executorUnavailable)
        case .augmentingAgent:
            return endpoints == .present ? .route("agent-host") : .refuse(.noAugmentingAgent)
        case .readOnly: return .refuse(.platformReadOnly)
        case .notApplicable: return .refuse(.controlNotApplicable)
        case .notSupported: return .refuse(.platformNotSupported)
        }
    }

    // MARK: - The world

    /// A resource `r` under host node `host-1` (or the host itself when `type` is `agent`), with the
    /// endpoints of `state`, and a healthy decoy agent and connection somewhere else that must never be used.
    static func inputs(
        platform: String, type: ResourceType, action: ControlAction, power: String?, level: ControlLevel,
        endpoints state: EndpointState, replicas: Int? = 2
    ) -> ControlInputs {
        let isHost = type == .agent
        let target = ControlTarget(
            id: isHost ? "host-1" : "r", type: type, platform: platform, name: isHost ? "host-one" : "thing",
            powerState: power,
            ancestors: isHost ? [] : [.init(id: "host-1", type: .agent, name: "host-one")]
        )
        var agents = [ControlEndpoint.Agent(
            id: "agent-decoy", hostResourceId: "elsewhere", endpoint: "unix:/decoy", commandsEnabled: true,
            lastHeartbeat: now)]
        var connections = [ControlEndpoint.Connection(
            id: "conn-decoy", platform: platform, rootResourceId: "elsewhere", endpoint: "https://decoy",
            controlEnabled: true)]
        let agent = { (heartbeat: Double?, enabled: Bool) in
            ControlEndpoint.Agent(
                id: "agent-host", hostResourceId: "host-1", endpoint: "unix:/host", commandsEnabled: enabled,
                lastHeartbeat: heartbeat)
        }
        let connection = { (enabled: Bool) in
            ControlEndpoint.Connection(
                id: "conn-host", platform: platform, rootResourceId: "host-1", endpoint: "https://host",
                controlEnabled: enabled)
        }
        switch state {
        case .present:
            agents.append(agent(now - 10, true))
            connections.append(connection(true))
        case .stale:
            agents.append(agent(now - window - 1, true))
            connections.append(connection(true))
        case .commandsDisabled:
            agents.append(agent(now - 10, false))
            connections.append(connection(false))
        case .absent:
            break
        }
        return ControlInputs(
            target: target, requestedResourceId: target.id, action: action, replicas: replicas, level: level,
            agents: agents, connections: connections, now: now, heartbeatWindow: window)
    }

    /// The types a platform projects, or every type when it projects none (presentation-only ids).
    static func types(of platform: Platform) -> [ResourceType] {
        platform.resourceTypes.isEmpty ? ResourceType.allCases : platform.resourceTypes
    }

    static func actual(_ decision: ControlDecision) -> Expected {
        switch decision.outcome {
        case .execute(let route): .execute(route.kind, route.id)
        case .route(let route): .route(route.id)
        case .refuse(let code, _, _): .refuse(code)
        }
    }

    // MARK: - Tests

    @Test func theOracleCoversEveryPlatformOfTheManifest() throws {
        let manifest = try Fixtures.shippedManifest()
        for platform in manifest.platforms {
            let expected: Path? = platform.isSupported ? Self.paths[platform.id.rawValue] : nil
            switch platform.assistantControlClass {
            case .supported?: #expect(expected == .agentHost || expected == .connection, "\(platform.id)")
            case .augmentationOnly?: #expect(expected == .augmentingAgent, "\(platform.id)")
            case .readOnly?: #expect(expected == .readOnly, "\(platform.id)")
            case .notApplicable?: #expect(expected == .notApplicable, "\(platform.id)")
            case nil: #expect(expected == nil, "\(platform.id)")
            }
        }
    }

    @Test(arguments: ControlLevel.allCases, EndpointState.allCases)
    func everyPlatformTypeActionAndPowerState(level: ControlLevel, endpoints: EndpointState) throws {
        let manifest = try Fixtures.shippedManifest()
        var checked = 0
        for platform in manifest.platforms {
            for type in Self.types(of: platform) {
                for action in ControlAction.allCases {
                    for power in Self.powerStates {
                        let inputs = Self.inputs(
                            platform: platform.id.rawValue, type: type, action: action, power: power, level: level,
                            endpoints: endpoints)
                        let decision = ControlPolicy.decide(inputs, manifest: manifest)
                        let expected = Self.oracle(
                            platform: platform.id.rawValue, type: type, action: action, power: power, level: level,
                            endpoints: endpoints)
                        let context = "\(platform.id) \(type.rawValue) \(action.rawValue) \(power ?? "-")"
                        #expect(Self.actual(decision) == expected, "\(context)")
                        #expect(decision.needsApproval == (decision.dispatches && level == .controlled), "\(context)")
                        if case .refuse(_, let message, let hint) = decision.outcome {
                            #expect(message.contains(inputs.target?.name ?? "?"), "\(context): \(message)")
                            #expect(message.contains(platform.id.rawValue), "\(context): \(message)")
                            if let controlClass = platform.assistantControlClass {
                                #expect(message.contains(controlClass.rawValue), "\(context): \(message)")
                            }
                            #expect(!hint.isEmpty, "\(context)")
                        }
                        checked += 1
                    }
                }
            }
        }
        #expect(checked > 1_000)
    }

    @Test(arguments: [nil, -1, 0, 5] as [Int?])
    func scaleNeedsReplicasOfZeroOrMore(replicas: Int?) throws {
        let manifest = try Fixtures.shippedManifest()
        let inputs = Self.inputs(
            platform: "kubernetes", type: .k8sDeployment, action: .scale, power: nil, level: .autonomous,
            endpoints: .present, replicas: replicas)
        let expected: Expected = (replicas ?? -1) >= 0
            ? .execute(.agent, "agent-host") : .refuse(.actionNotApplicable)
        #expect(Self.actual(ControlPolicy.decide(inputs, manifest: manifest)) == expected)
    }

    /// No input dispatches for a read-only, n/a, admitted or presentation-only platform, or under level
    /// read-only — even with a healthy agent and an enabled connection on every resource of the chain,
    /// under every name of the platform.
    @Test(arguments: ControlLevel.allCases)
    func neverDispatchesWhereControlIsClosed(level: ControlLevel) throws {
        let manifest = try Fixtures.shippedManifest()
        for platform in manifest.platforms {
            let closed = level == .readOnly || !platform.isSupported
                || [.readOnly, .notApplicable].contains(platform.assistantControlClass)
            guard closed else { continue }
            for name in platform.names + [platform.id.rawValue.uppercased()] {
                for type in ResourceType.allCases {
                    for action in ControlAction.allCases {
                        for power in Self.powerStates {
                            var inputs = Self.inputs(
                                platform: name, type: type, action: action, power: power, level: level,
                                endpoints: .present)
                            let chain = inputs.target?.chain ?? []
                            for link in chain {
                                inputs.agents.append(.init(
                                    id: "a-\(link.id)", hostResourceId: link.id, endpoint: "unix:/a",
                                    commandsEnabled: true, lastHeartbeat: Self.now))
                                for alias in platform.names {
                                    inputs.connections.append(.init(
                                        id: "c-\(link.id)-\(alias)", platform: alias, rootResourceId: link.id,
                                        endpoint: "https://c", controlEnabled: true))
                                }
                            }
                            let decision = ControlPolicy.decide(inputs, manifest: manifest)
                            #expect(!decision.dispatches, "\(name) \(type.rawValue) \(action.rawValue) \(level)")
                            #expect(!decision.needsApproval)
                        }
                    }
                }
            }
        }
    }
}
