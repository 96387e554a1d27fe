/// Why a control call was refused; the raw value is the stable wire code.
package enum RefusalCode: String, CaseIterable, Sendable, Codable, Hashable {
    case resourceNotFound = "resource_not_found"
    case platformNotSupported = "platform_not_supported"
    case actionNotApplicable = "action_not_applicable"
    case controlDisabled = "control_disabled"
    case executorUnavailable = "executor_unavailable"
    case noAugmentingAgent = "no_augmenting_agent"
    case platformReadOnly = "platform_read_only"
    case controlNotApplicable = "control_not_applicable"
    /// Given by the dispatcher, not ``ControlPolicy/decide(_:manifest:)``: the client cannot ask a human.
    case approvalUnavailable = "approval_unavailable"
    /// Given by the dispatcher, not ``ControlPolicy/decide(_:manifest:)``: the human said no.
    case approvalDeclined = "approval_declined"
    /// Given by the dispatcher on the `pulse` route, not ``ControlPolicy/decide(_:manifest:)``: the policy
    /// allows the action, but the Pulse server offers no executable capability for it now (its
    /// `actionReadiness` reason is quoted).
    case capabilityUnavailable = "capability_unavailable"
}
