/// The control decision (DESIGN §5): a pure function from values to execute, route or refuse.
///
/// The order is fixed and each step fails closed:
///
/// 1. no resource → `resource_not_found`
/// 2. platform unknown, admitted or presentation-only → `platform_not_supported`
/// 3. action not applicable to the type, the power state or the arguments → `action_not_applicable`
/// 4. level `read-only` → `control_disabled`
/// 5. by the platform's assistant-control class: `supported` → its own path (``ControlPolicy/ownPath``),
///    `augmentation-only` → the Pulse agent on the host node, `read-only` → `platform_read_only`,
///    `n/a` → `control_not_applicable`. For a resource synced from Pulse, the first two go through the
///    Pulse server instead (``ControlPolicy/throughPulse``): the same classes, the same refusals.
///
/// Every message names the resource, the platform and its class; every hint says what would change the answer.
package enum ControlPolicy {
    /// Decides one control call.
    ///
    /// ```swift
    /// let decision = ControlPolicy.decide(inputs, manifest: manifest)
    /// if case .route(let agent) = decision.outcome, decision.needsApproval { … }
    /// ```
    package static func decide(_ inputs: ControlInputs, manifest: PlatformSupportManifest) -> ControlDecision {
        guard let target = inputs.target else {
            return .refuse(
                code: .resourceNotFound,
                message: "Cannot \(inputs.action.rawValue) resource '\(inputs.requestedResourceId)': no resource has that id, so it has no platform and no assistant-control class.",
                hint: "Find the resource's id with search_resources and call again with it."
            )
        }
        let action = inputs.action
        let subject = Phrase.resource(target)

        guard let platform = manifest.platform(named: target.platform), platform.isSupported,
            let controlClass = platform.assistantControlClass
        else {
            let (platformPhrase, standing) = Phrase.unsupported(target.platform, in: manifest)
            return .refuse(
                code: .platformNotSupported,
                message: "Cannot \(action.rawValue) \(subject): it belongs to \(platformPhrase), which is \(standing), so it has no assistant-control class and is never controlled.",
                hint: "Control opens only when the platform is supported in the platform-support manifest with an assistant-control class; reads still work."
            )
        }
        let owner = Phrase.platform(platform, controlClass)

        if let refusal = inapplicability(of: inputs, target: target, subject: subject, owner: owner) {
            return refusal
        }
        guard inputs.level != .readOnly else {
            return .refuse(
                code: .controlDisabled,
                message: "Cannot \(action.rawValue) \(subject) on \(owner): the control level is read-only.",
                hint: "The operator can set the control level to controlled or autonomous (--control-level, PULSE_ASSISTANT_CONTROL_LEVEL or the config file); a tool argument cannot."
            )
        }

        switch controlClass {
        case .supported where target.origin == .pulse, .augmentationOnly where target.origin == .pulse:
            return throughPulse(inputs, target: target, platform: platform, controlClass: controlClass, subject: subject, owner: owner)
        case .supported:
            return ownPath(inputs, target: target, platform: platform, manifest: manifest, subject: subject, owner: owner)
        case .augmentationOnly:
            return augmentingAgent(inputs, target: target, platform: platform, subject: subject, owner: owner)
        case .readOnly:
            return .refuse(
                code: .platformReadOnly,
                message: "Cannot \(action.rawValue) \(subject): \(owner) is read-only to the assistant.",
                hint: "Nothing the caller can change opens control here: it needs \(platform.displayName)'s assistant control to be reclassified in the platform-support manifest. Use \(platform.displayName)'s own tools instead."
            )
        case .notApplicable:
            return .refuse(
                code: .controlNotApplicable,
                message: "Cannot \(action.rawValue) \(subject): assistant control does not apply to \(owner).",
                hint: "Nothing the caller can change opens control here; act on the resource through \(platform.displayName) itself."
            )
        }
    }

    /// Step 3: the action against the type, the power state and the arguments; `nil` when it applies.
    static func inapplicability(
        of inputs: ControlInputs, target: ControlTarget, subject: String, owner: String
    ) -> ControlDecision? {
        let action = inputs.action
        let allowed = ControlAction.actions(for: target.type)
        guard action.isApplicable(to: target.type) else {
            let offered = allowed.isEmpty ? "none" : allowed.map(\.rawValue).joined(separator: ", ")
            return .refuse(
                code: .actionNotApplicable,
                message: "Cannot \(action.rawValue) \(subject) on \(owner): a \(target.type.rawValue) does not take \(action.rawValue) (it takes: \(offered)).",
                hint: allowed.isEmpty
                    ? "No control action applies to a \(target.type.rawValue); act on a resource of another type."
                    : "Ask for one of: \(offered)."
            )
        }
        if let conflict = action.conflict(withPowerState: target.powerState) {
            return .refuse(
                code: .actionNotApplicable,
                message: "Cannot \(action.rawValue) \(subject) on \(owner): \(conflict).",
                hint: "Read the resource's power state again; \(action.rawValue) applies once it has changed."
            )
        }
        if action == .scale, (inputs.replicas ?? -1) < 0 {
            let given = inputs.replicas.map { "replicas \($0)" } ?? "no replicas"
            return .refuse(
                code: .actionNotApplicable,
                message: "Cannot scale \(subject) on \(owner): scale needs replicas of 0 or more, and the call gave \(given).",
                hint: "Call again with replicas set to the desired count (0 or more)."
            )
        }
        return nil
    }
}
