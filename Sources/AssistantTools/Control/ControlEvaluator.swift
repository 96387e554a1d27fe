import ControlEndpoints
import JSON
import Policy
import ResourceStore

/// Gathers what the policy looks at from the store, asks it, and says the answer as JSON.
///
/// Everything the decision depends on comes from the store and the operator's settings; nothing comes
/// from a tool argument except the resource id, the action and the replica count.
package struct ControlEvaluator: Sendable {
    package let manifest: PlatformSupportManifest
    package let settings: ControlSettings
    package let clock: ServerClock
    /// The Pulse server actions on synced resources go through; nil when none is configured.
    package let pulseServer: ControlEndpoint.PulseServer?

    package init(
        manifest: PlatformSupportManifest, settings: ControlSettings, clock: ServerClock,
        pulseServer: ControlEndpoint.PulseServer? = nil
    ) {
        self.manifest = manifest
        self.settings = settings
        self.clock = clock
        self.pulseServer = pulseServer
    }

    /// One evaluated control call: the inputs as the policy saw them and its decision.
    package struct Evaluation: Sendable {
        package var inputs: ControlInputs
        package var decision: ControlDecision

        /// The owning platform's assistant-control class, `nil` when it has none (not supported).
        package var controlClass: AssistantControlClass?
    }

    /// The inputs for `action` on the resource `resourceId`, read in `reader`'s transaction.
    func inputs(resourceId: String, action: ControlAction, replicas: Int?, reader: StoreReader) throws -> ControlInputs {
        guard let row = try reader.resource(id: resourceId) else {
            return inputs(target: nil, requested: resourceId, action: action, replicas: replicas)
        }
        return try inputs(row: row, chain: reader.parentChain(of: row), action: action, replicas: replicas, reader: reader)
    }

    /// The inputs for a resource already read, with its parent chain.
    func inputs(row: ResourceRow, chain: [ResourceRow], action: ControlAction, replicas: Int?, reader: StoreReader) throws -> ControlInputs {
        let target = ControlTarget(
            id: row.id, type: Self.type(of: row), platform: row.platform, name: row.name, powerState: row.powerState,
            ancestors: chain.map { .init(id: $0.id, type: Self.type(of: $0), name: $0.name) },
            origin: PulseCapabilities.synced(row) == nil ? .snapshot : .pulse
        )
        var inputs = inputs(target: target, requested: row.id, action: action, replicas: replicas)
        let ids = target.chain.map(\.id)
        inputs.agents = try reader.agents(onHosts: ids)
        inputs.connections = try reader.connections(rootedAt: ids)
        return inputs
    }

    /// The decision now for each of `actions` (every action the resource's type takes when `nil`) on a
    /// resource already read. `scale` is judged for `replicas`, or for a valid count when none is given:
    /// which count is the caller's to choose, and a missing one would hide the real answer.
    func evaluations(
        row: ResourceRow, chain: [ResourceRow], actions: [ControlAction]? = nil, replicas: Int? = nil, reader: StoreReader
    ) throws -> [Evaluation] {
        let wanted = actions ?? ControlAction.actions(for: Self.type(of: row))
        guard let first = wanted.first else { return [] }
        // The endpoints around the resource are read once; only the action differs between decisions.
        let base = try inputs(row: row, chain: chain, action: first, replicas: replicas, reader: reader)
        return wanted.map { action in
            var inputs = base
            inputs.action = action
            inputs.replicas = action == .scale ? (replicas ?? 1) : replicas
            return evaluate(inputs)
        }
    }

    private func inputs(target: ControlTarget?, requested: String, action: ControlAction, replicas: Int?) -> ControlInputs {
        ControlInputs(
            target: target, requestedResourceId: requested, action: action, replicas: replicas, level: settings.level,
            pulseServer: pulseServer, now: clock.seconds, heartbeatWindow: settings.heartbeatWindowSeconds
        )
    }

    /// Ingest admits only canonical types, so an unknown one means a store written by something else:
    /// it is judged as an agent would never be (no action applies to `storage`).
    private static func type(of row: ResourceRow) -> ResourceType {
        ResourceType(rawValue: row.type) ?? .storage
    }

    /// The policy's decision on `inputs`.
    package func evaluate(_ inputs: ControlInputs) -> Evaluation {
        let platform = inputs.target.flatMap { manifest.platform(named: $0.platform) }
        let controlClass = platform.flatMap { $0.isSupported ? $0.assistantControlClass : nil }
        return Evaluation(inputs: inputs, decision: ControlPolicy.decide(inputs, manifest: manifest), controlClass: controlClass)
    }
}

extension ControlEvaluator.Evaluation {
    /// `execute`, `route` or `refuse`.
    package var outcome: String {
        switch decision.outcome {
        case .execute: "execute"
        case .route: "route"
        case .refuse: "refuse"
        }
    }

    /// The decision as tools and action rows show it (``ActionDecision``).
    func json(manifest: PlatformSupportManifest) -> JSONValue {
        ActionDecision(self, manifest: manifest).jsonValue
    }
}

extension ControlDecision.Route {
    var json: JSONValue {
        var object: JSONObject = ["kind": .string(kind.rawValue), "id": .string(id), "endpoint": .string(endpoint)]
        object.setIfPresent("via", via.map(JSONValue.string))
        return .object(object)
    }
}

/// The schemas of the control tools' shared shapes.
enum ControlSchemas {
    static let route = Schema.object([
        ("kind", Schema.string("pulse: the Pulse server; agent: a Pulse agent; platform-connection: the platform's API connection.", enum: ["pulse", "agent", "platform-connection"])),
        ("id", Schema.string("The Pulse server, agent or connection id.")),
        ("endpoint", Schema.string("Pulse's URL, or where the endpoint listens (unix:PATH or tcp:HOST:PORT).")),
        ("via", Schema.string("The Pulse agent Pulse runs it on.")),
    ], required: ["kind", "id", "endpoint"])

    /// What Pulse offered for the action at the last sync (explain_control on a synced resource).
    static let pulseCapability = Schema.object([
        ("capability", Schema.string(nullable: true)),
        ("available", Schema.boolean()),
        ("reasonCode", Schema.string()),
        ("reason", Schema.string()),
        ("asOf", Schema.string()),
    ], required: ["capability", "available", "asOf"], description: "What Pulse offered for the action at the last sync, and why not.")

    static let decision = Schema.object([
        ("action", Schema.string(enum: ControlAction.allCases.map(\.rawValue))),
        ("outcome", Schema.string("execute: on the platform's own path; route: to the augmenting Pulse agent; refuse.", enum: ["execute", "route", "refuse"])),
        ("controlClass", Schema.string("The owning platform's assistant-control class; null when the platform is not supported.", enum: AssistantControlClass.allCases.map(\.rawValue), nullable: true)),
        ("controlLevel", Schema.string("The operator's control level.", enum: ControlLevel.allCases.map(\.rawValue))),
        ("needsApproval", Schema.boolean("A human must approve the dispatch first (level controlled).")),
        ("message", Schema.string("The decision in words: resource, platform, class, and where it goes or why not.")),
        ("code", Schema.string("The refusal code.", enum: RefusalCode.allCases.map(\.rawValue))),
        ("hint", Schema.string("What would change the answer.")),
        ("route", route),
        ("pulse", pulseCapability),
    ], required: ["action", "outcome", "controlClass", "controlLevel", "needsApproval", "message"])
}
