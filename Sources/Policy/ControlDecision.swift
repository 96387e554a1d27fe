/// What the policy decided for one control call, and whether a human must approve it first.
///
/// Only the factories build a decision, so `needsApproval` is never set on a refusal and always set on a
/// dispatch under the `controlled` level.
package struct ControlDecision: Sendable, Equatable {
    /// The endpoint an action goes to; chosen by the policy, never by the caller.
    package struct Route: Sendable, Equatable, Hashable {
        package enum Kind: String, Sendable, Codable, Hashable {
            case agent
            case platformConnection = "platform-connection"
            /// The Pulse server's action lifecycle, for a resource that came from a Pulse sync.
            case pulse
        }

        package var kind: Kind
        package var id: String
        package var endpoint: String
        /// On the `pulse` route of an augmentation-only platform: the Pulse agent Pulse's executor
        /// runs the action on (the one on the guest's node); nil otherwise.
        package var via: String?

        package init(kind: Kind, id: String, endpoint: String, via: String? = nil) {
            self.kind = kind
            self.id = id
            self.endpoint = endpoint
            self.via = via
        }
    }

    package enum Outcome: Sendable, Equatable {
        /// Run on the platform's own control path.
        case execute(via: Route)
        /// Hand to the augmenting Pulse agent on the resource's host.
        case route(to: Route)
        case refuse(code: RefusalCode, message: String, hint: String)
    }

    package let outcome: Outcome
    /// `true` for a dispatch under the `controlled` level.
    package let needsApproval: Bool

    private init(outcome: Outcome, needsApproval: Bool) {
        self.outcome = outcome
        self.needsApproval = needsApproval
    }

    package static func execute(via route: Route, level: ControlLevel) -> ControlDecision {
        ControlDecision(outcome: .execute(via: route), needsApproval: level == .controlled)
    }

    package static func route(to route: Route, level: ControlLevel) -> ControlDecision {
        ControlDecision(outcome: .route(to: route), needsApproval: level == .controlled)
    }

    package static func refuse(code: RefusalCode, message: String, hint: String) -> ControlDecision {
        ControlDecision(outcome: .refuse(code: code, message: message, hint: hint), needsApproval: false)
    }

    // MARK: - Reading

    /// The endpoint the action goes to, `nil` for a refusal.
    package var route: Route? {
        switch outcome {
        case .execute(let route), .route(let route): route
        case .refuse: nil
        }
    }

    /// The refusal code, `nil` for a dispatch.
    package var refusalCode: RefusalCode? {
        if case .refuse(let code, _, _) = outcome { return code }
        return nil
    }

    /// Whether the action would be sent anywhere (executed or routed).
    package var dispatches: Bool { route != nil }
}
