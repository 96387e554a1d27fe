extension ControlPolicy {
    // MARK: - Through the Pulse server

    /// Step 5 for a resource that came from a Pulse sync, whose class allows control (`supported` or
    /// `augmentation-only`): the action goes through the Pulse server's action lifecycle (DESIGN §6).
    ///
    /// ```
    /// supported          → pulse                                  (Pulse's live capabilities narrow it)
    /// augmentation-only  → pulse, via the Pulse agent on the node  (no agent on the node → no_augmenting_agent)
    /// no Pulse server configured                                  → executor_unavailable
    /// ```
    ///
    /// A real Pulse agent takes commands only from its server, so the socket endpoints of an ingested
    /// store are never looked at here. Whether the node's agent is connected and accepts commands now
    /// is Pulse's to say at dispatch (its `capabilities[]` and `actionReadiness[]`): the store's copy is
    /// as old as the last sync, and Pulse runs guest actions on a connected agent whatever its
    /// `commandsEnabled`. What the matrix requires, an agent on the node for an augmentation-only
    /// platform, is checked here, before anything reaches Pulse.
    static func throughPulse(
        _ inputs: ControlInputs, target: ControlTarget, platform: Platform, controlClass: AssistantControlClass,
        subject: String, owner: String
    ) -> ControlDecision {
        let action = inputs.action.rawValue
        var via: String?
        if controlClass == .augmentationOnly {
            let never = "\(platform.displayName) is controlled only through that agent, never through its API"
            guard let node = target.chain.first(where: { $0.type == .agent }) else {
                return .refuse(
                    code: .noAugmentingAgent,
                    message: "Cannot \(action) \(subject) on \(owner): its parent chain names no host node, so no Pulse agent can act for it.",
                    hint: "Once the resource's host node is known, install a Pulse agent on that node; \(never)."
                )
            }
            guard let agent = inputs.agents.filter({ $0.hostResourceId == node.id }).first else {
                return .refuse(
                    code: .noAugmentingAgent,
                    message: "Cannot \(action) \(subject) on \(owner): no Pulse agent reports from its node \(Phrase.node(node)), and Pulse runs \(platform.displayName) actions only through the agent on the node.",
                    hint: "Install a Pulse agent on node \(Phrase.node(node)) and let the next sync see it; \(never)."
                )
            }
            via = agent.id
        }
        guard let server = inputs.pulseServer else {
            return .refuse(
                code: .executorUnavailable,
                message: "Cannot \(action) \(subject) on \(owner): it came from a Pulse sync, so only that Pulse server can act on it, and this assistant has no Pulse server to act through.",
                hint: "Serve with --pulse-url set to the Pulse server the store is synced from, with a user-owned token that has actions:plan, actions:approve and actions:execute."
            )
        }
        let route = ControlDecision.Route(kind: .pulse, id: server.id, endpoint: server.endpoint, via: via)
        return controlClass == .augmentationOnly ? .route(to: route, level: inputs.level) : .execute(via: route, level: inputs.level)
    }
}
