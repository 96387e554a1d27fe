extension ControlPolicy {
    /// The decision in one sentence, worded like the refusals: the resource, the platform and its class,
    /// and for a dispatch where it goes and whether a human must approve it first.
    ///
    /// A refusal's summary is its message.
    package static func summary(of decision: ControlDecision, for inputs: ControlInputs, manifest: PlatformSupportManifest) -> String {
        switch decision.outcome {
        case .refuse(_, let message, _):
            return message
        case .execute(let route), .route(let route):
            guard let target = inputs.target, let platform = manifest.platform(named: target.platform),
                  let controlClass = platform.assistantControlClass
            else { return "\(inputs.action.rawValue) \(inputs.requestedResourceId) goes to \(route.id)." }
            let verb = if route.kind == .pulse {
                "sent through"
            } else if case .execute = decision.outcome {
                "executed on its own control path by"
            } else {
                "routed to the augmenting"
            }
            let approval = decision.needsApproval
                ? "; a human must approve it first (control level controlled)"
                : " without asking (control level \(inputs.level.rawValue))"
            return "\(inputs.action.rawValue.capitalizedFirst) \(Phrase.resource(target)) on \(Phrase.platform(platform, controlClass)): "
                + "\(verb) \(endpointPhrase(route, inputs: inputs, target: target))\(approval)."
        }
    }

    /// `Pulse agent 'pulse-agent/pve-a' on 'pve-a' (agent/pve-a)` or `platform connection 'truenas/nas-1'`.
    static func endpointPhrase(_ route: ControlDecision.Route, inputs: ControlInputs, target: ControlTarget) -> String {
        switch route.kind {
        case .agent:
            let host = inputs.agents.first { $0.id == route.id }.flatMap { agent in
                target.chain.first { $0.id == agent.hostResourceId }
            }
            return "Pulse agent '\(route.id)'" + (host.map { " on \(Phrase.node($0))" } ?? "")
        case .platformConnection:
            return "platform connection '\(route.id)'"
        case .pulse:
            let server = "the Pulse server '\(route.id)' at \(route.endpoint)"
            guard let via = route.via else { return server + ", if Pulse offers it as a capability now" }
            let host = inputs.agents.first { $0.id == via }.flatMap { agent in
                target.chain.first { $0.id == agent.hostResourceId }
            }
            return server + ", which runs it on its Pulse agent '\(via)'" + (host.map { " on \(Phrase.node($0))" } ?? "")
                + " if Pulse offers it as a capability now"
        }
    }
}
