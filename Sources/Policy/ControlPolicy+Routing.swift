extension ControlPolicy {
    // MARK: - Supported: the platform's own path

    /// `supported`: agent-backed platforms run on the Pulse agent of the resource's host, api-backed ones on
    /// the platform connection that sees the resource.
    static func ownPath(
        _ inputs: ControlInputs, target: ControlTarget, platform: Platform, manifest: PlatformSupportManifest,
        subject: String, owner: String
    ) -> ControlDecision {
        let action = inputs.action.rawValue
        switch platform.primaryMode {
        case .agentBacked:
            let hosts = target.chain.filter { host in inputs.agents.contains { $0.hostResourceId == host.id } }
            guard let host = hosts.first else {
                let node = target.chain.first { $0.type == .agent } ?? target.chain[0]
                return .refuse(
                    code: .executorUnavailable,
                    message: "Cannot \(action) \(subject) on \(owner): no Pulse agent runs on it or on any resource above it.",
                    hint: "Install a Pulse agent with commands enabled on \(Phrase.node(node)) and wait for its first heartbeat."
                )
            }
            switch pick(inputs.agents.filter { $0.hostResourceId == host.id }, inputs: inputs) {
            case .success(let agent):
                return .execute(via: Phrase.route(agent), level: inputs.level)
            case .failure(let problem):
                return .refuse(
                    code: .executorUnavailable,
                    message: "Cannot \(action) \(subject) on \(owner): the Pulse agent on \(Phrase.node(host)) \(problem.description).",
                    hint: problem.hint(for: Phrase.node(host))
                )
            }
        case .apiBacked:
            let mine = inputs.connections.filter { manifest.platform(named: $0.platform)?.id == platform.id }
            let roots = target.chain.filter { root in mine.contains { $0.rootResourceId == root.id } }
            guard let root = roots.first else {
                return .refuse(
                    code: .executorUnavailable,
                    message: "Cannot \(action) \(subject) on \(owner): no \(platform.displayName) platform connection covers it.",
                    hint: "Add a \(platform.displayName) platform connection with control enabled for the system that holds \(subject)."
                )
            }
            let candidates = mine.filter { $0.rootResourceId == root.id }
            guard let connection = candidates.first(where: \.controlEnabled) else {
                let name = candidates.first.map { "'\($0.id)'" } ?? ""
                return .refuse(
                    code: .executorUnavailable,
                    message: "Cannot \(action) \(subject) on \(owner): the platform connection \(name) for \(Phrase.node(root)) has control disabled.",
                    hint: "Enable control on the \(platform.displayName) platform connection \(name)."
                )
            }
            return .execute(
                via: .init(kind: .platformConnection, id: connection.id, endpoint: connection.endpoint),
                level: inputs.level
            )
        case .hybrid, nil:
            return .refuse(
                code: .executorUnavailable,
                message: "Cannot \(action) \(subject) on \(owner): the manifest declares no single own control path for it.",
                hint: "Declare \(platform.displayName)'s primary mode as agent-backed or api-backed in the platform-support manifest."
            )
        }
    }

    // MARK: - Augmentation-only: the host node's Pulse agent

    /// `augmentation-only`: the Pulse agent on the node that hosts the resource (the resource itself when it
    /// is an agent). Platform connections are never looked at, whatever they allow.
    static func augmentingAgent(
        _ inputs: ControlInputs, target: ControlTarget, platform: Platform, subject: String, owner: String
    ) -> ControlDecision {
        let action = inputs.action.rawValue
        let never = "\(platform.displayName) is controlled only through that agent, never through its API"
        guard let node = target.chain.first(where: { $0.type == .agent }) else {
            return .refuse(
                code: .noAugmentingAgent,
                message: "Cannot \(action) \(subject) on \(owner): its parent chain names no host node, so no Pulse agent can act for it.",
                hint: "Once the resource's host node is known, install a Pulse agent with commands enabled on that node; \(never)."
            )
        }
        switch pick(inputs.agents.filter { $0.hostResourceId == node.id }, inputs: inputs) {
        case .success(let agent):
            return .route(to: Phrase.route(agent), level: inputs.level)
        case .failure(let problem):
            return .refuse(
                code: .noAugmentingAgent,
                message: "Cannot \(action) \(subject) on \(owner): the Pulse agent on its node \(Phrase.node(node)) \(problem.description).",
                hint: problem.hint(for: "node \(Phrase.node(node))") + " \(never)."
            )
        }
    }

    // MARK: - Agents

    /// Why an agent cannot take an action now.
    enum AgentProblem: Error, Equatable {
        case missing
        case stale(lastHeartbeat: Double?, window: Double)
        case commandsDisabled(agentID: String)

        var description: String {
            switch self {
            case .missing: "is missing"
            case .stale(nil, _): "has never sent a heartbeat"
            case .stale(.some(let last), let window):
                "is stale (last heartbeat at \(Phrase.seconds(last)), older than the \(Phrase.seconds(window)) s window)"
            case .commandsDisabled(let id): "('\(id)') has commands disabled"
            }
        }

        func hint(for place: String) -> String {
            switch self {
            case .missing: "Install a Pulse agent with commands enabled on \(place)."
            case .stale: "Bring the Pulse agent on \(place) back online (it must heartbeat within the window), or install one with commands enabled."
            case .commandsDisabled: "Enable commands on the Pulse agent on \(place)."
            }
        }
    }

    /// The first usable agent of `agents`, else the problem of the first one (which is what a person fixes).
    static func pick(
        _ agents: [ControlEndpoint.Agent], inputs: ControlInputs
    ) -> Result<ControlEndpoint.Agent, AgentProblem> {
        let problems = agents.map { problem(of: $0, inputs: inputs) }
        if let usable = zip(agents, problems).first(where: { $0.1 == nil }) {
            return .success(usable.0)
        }
        return .failure(problems.first.flatMap { $0 } ?? .missing)
    }

    /// Why `agent` cannot act now, `nil` when it can. A stale agent counts as stale even with commands off:
    /// coming back online is the first thing to fix.
    static func problem(of agent: ControlEndpoint.Agent, inputs: ControlInputs) -> AgentProblem? {
        guard let last = agent.lastHeartbeat, inputs.now - last <= inputs.heartbeatWindow else {
            return .stale(lastHeartbeat: agent.lastHeartbeat, window: inputs.heartbeatWindow)
        }
        guard agent.commandsEnabled else { return .commandsDisabled(agentID: agent.id) }
        return nil
    }
}
