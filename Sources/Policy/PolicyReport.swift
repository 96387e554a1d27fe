import Foundation

/// The governed matrix as an operator audits it before anyone runs it: for every platform × every type
/// it projects × every action, the assistant-control class, the decision under each control level,
/// the route it needs and the reason code.
///
/// Each row is ``ControlPolicy/decide(_:manifest:)`` itself, asked about a resource of that type on a
/// host whose Pulse agent is fresh with commands on and whose platform connection has control on — the
/// best case — so a refusal in the report is one that no endpoint can open. Power state is unknown.
package struct PolicyReport: Sendable, Equatable, Codable {
    package struct Decision: Sendable, Equatable, Codable {
        /// `execute`, `route` or `refuse`.
        package var outcome: String
        package var code: String?
        package var needsApproval: Bool
    }

    package struct Row: Sendable, Equatable, Codable {
        package var platform: String
        package var type: String
        package var action: String
        package var controlClass: String?
        /// By control level (`read-only`, `controlled`, `autonomous`).
        package var decisions: [String: Decision]
        /// What the action needs to be sent anywhere, `nil` when nothing opens it.
        package var route: String?
        /// The refusal code at the most open level, `nil` when it dispatches there.
        package var code: String?
    }

    package struct Platform: Sendable, Equatable, Codable {
        package var id: String
        package var displayName: String
        package var governance: String
        package var readinessStage: String?
        package var controlClass: String?
        package var rows: [Row]
    }

    package var platforms: [Platform]

    package init(_ manifest: PlatformSupportManifest) {
        platforms = manifest.platforms.map { platform in
            Platform(
                id: platform.id.rawValue, displayName: platform.displayName, governance: platform.governance.rawValue,
                readinessStage: platform.readinessStage?.rawValue,
                controlClass: platform.isSupported ? platform.assistantControlClass?.rawValue : nil,
                rows: platform.resourceTypes.flatMap { type in
                    ControlAction.allCases.map { action in Self.row(platform, type, action, manifest) }
                }
            )
        }
    }

    static func row(_ platform: Policy.Platform, _ type: ResourceType, _ action: ControlAction, _ manifest: PlatformSupportManifest) -> Row {
        var decisions: [String: Decision] = [:]
        var open: ControlDecision?
        for level in ControlLevel.allCases {
            let decision = ControlPolicy.decide(bestCase(platform, type, action, level), manifest: manifest)
            decisions[level.rawValue] = Decision(
                outcome: outcome(decision), code: decision.refusalCode?.rawValue, needsApproval: decision.needsApproval
            )
            if level == .autonomous { open = decision }
        }
        return Row(
            platform: platform.id.rawValue, type: type.rawValue, action: action.rawValue,
            controlClass: platform.isSupported ? platform.assistantControlClass?.rawValue : nil, decisions: decisions,
            route: open.flatMap { routeNeeded($0, platform) }, code: open?.refusalCode?.rawValue
        )
    }

    /// A resource of `type` under a host node whose agent and connection are ready.
    static func bestCase(_ platform: Policy.Platform, _ type: ResourceType, _ action: ControlAction, _ level: ControlLevel) -> ControlInputs {
        let host = ControlTarget.Ancestor(id: "agent/host", type: .agent, name: "host")
        let target = type == .agent
            ? ControlTarget(id: host.id, type: .agent, platform: platform.id.rawValue, name: host.name)
            : ControlTarget(id: "\(type.rawValue)/example", type: type, platform: platform.id.rawValue, name: "example", ancestors: [host])
        return ControlInputs(
            target: target, requestedResourceId: target.id, action: action, replicas: action == .scale ? 1 : nil, level: level,
            agents: [.init(id: "pulse-agent/host", hostResourceId: host.id, endpoint: "unix:/agent.sock", commandsEnabled: true, lastHeartbeat: 0)],
            connections: [.init(id: "\(platform.id)/connection", platform: platform.id.rawValue, rootResourceId: host.id, endpoint: "tcp:127.0.0.1:1", controlEnabled: true)],
            now: 0
        )
    }

    static func outcome(_ decision: ControlDecision) -> String {
        switch decision.outcome {
        case .execute: "execute"
        case .route: "route"
        case .refuse: "refuse"
        }
    }

    static func routeNeeded(_ decision: ControlDecision, _ platform: Policy.Platform) -> String? {
        switch decision.outcome {
        case .execute(let route) where route.kind == .agent:
            "the Pulse agent on the resource's host (commands enabled, heartbeat within the window)"
        case .execute:
            "a \(platform.displayName) platform connection with control enabled"
        case .route:
            "the Pulse agent on the resource's node (commands enabled, heartbeat within the window); never the API"
        case .refuse:
            nil
        }
    }
}

// MARK: - Rendering

extension PolicyReport {
    /// Pretty JSON with sorted keys and a trailing newline.
    package func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    /// One section per platform, one table row per type × action.
    package func markdown(source: String) -> String {
        var text = """
            # Policy report

            What the control policy decides for every platform × projected type × action, under each control level, \
            for a resource whose host has a fresh Pulse agent with commands on and an enabled platform connection (the \
            best case: a refusal here is one no endpoint opens). Model: \(source).

            Cells: `execute` (the platform's own path), `route` (the augmenting Pulse agent), `refuse code`; \
            `+ approval` when a human must approve first.

            """
        for platform in platforms {
            let standing = platform.governance == "supported"
                ? "supported, assistant control `\(platform.controlClass ?? "none")`"
                : "\(platform.governance)\(platform.readinessStage.map { " (\($0))" } ?? ""), not supported"
            text += "\n## \(platform.displayName) (`\(platform.id)`): \(standing)\n\n"
            guard !platform.rows.isEmpty else {
                text += "Projects no resource type: nothing to read or control.\n"
                continue
            }
            text += "| type | action | read-only | controlled | autonomous | route needed | reason code |\n"
            text += "| --- | --- | --- | --- | --- | --- | --- |\n"
            for row in platform.rows {
                let cells = ControlLevel.allCases.map { level in row.decisions[level.rawValue].map(Self.cell) ?? "-" }
                text += "| `\(row.type)` | \(row.action) | " + cells.joined(separator: " | ")
                    + " | \(row.route ?? "-") | \(row.code.map { "`\($0)`" } ?? "-") |\n"
            }
        }
        return text
    }

    static func cell(_ decision: Decision) -> String {
        switch decision.outcome {
        case "refuse": "refuse `\(decision.code ?? "")`"
        default: decision.outcome + (decision.needsApproval ? " + approval" : "")
        }
    }
}
