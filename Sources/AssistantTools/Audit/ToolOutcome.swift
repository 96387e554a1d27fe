import Policy
import ResourceStore
import Synchronization

/// What came of a tool call, as its audit record says it: handed over by the tool beside its result,
/// so that the audit reads typed fields rather than the tool's output (whose fields may be renamed).
///
/// A tool that reports none (every read tool) is `ok`, or `error` with `tool_error` for an `isError`
/// result; a protocol error is `error` with its code. `control_resource` reports its action's.
package struct ToolOutcome: Sendable, Equatable {
    package enum Kind: String, Sendable, CaseIterable {
        case ok, error, refused, failed, routed, executed
    }

    package var kind: Kind
    package var controlClass: AssistantControlClass?
    /// The route's id: the agent or platform connection the action went (or would go) to.
    package var route: String?
    /// A refusal or failure code.
    package var code: String?
    package var actionId: String?
    /// On the `pulse` route: Pulse's action id, state and verification verdict (JSON object text).
    package var pulse: String?

    package init(
        kind: Kind, controlClass: AssistantControlClass? = nil, route: String? = nil, code: String? = nil, actionId: String? = nil,
        pulse: String? = nil
    ) {
        self.kind = kind
        self.controlClass = controlClass
        self.route = route
        self.code = code
        self.actionId = actionId
        self.pulse = pulse
    }

    /// The outcome of a recorded action, from its state and its decision read back into their types.
    package init(action: ActionRecord) {
        let decision = action.typedDecision
        let kind: Kind = switch action.state {
        case .refused: .refused
        case .failed, .unknown: .failed
        case .completed, .dispatched, .planned: decision?.outcome == .route ? .routed : .executed
        }
        self.init(
            kind: kind, controlClass: decision?.controlClass, route: decision?.route?.id, code: action.code, actionId: action.id,
            pulse: PulseActionState(parsing: action.pulse)?.auditSummary
        )
    }

    /// The outcome of a dry run: nothing recorded or sent, so `ok`, with the class and route it would take.
    package init(dryRun decision: ActionDecision) {
        self.init(kind: .ok, controlClass: decision.controlClass, route: decision.route?.id)
    }
}

/// Where a tool leaves its ``ToolOutcome`` for the audit: one per call, in its ``ToolContext``.
package final class ToolOutcomeSlot: Sendable {
    private let stored = Mutex<ToolOutcome?>(nil)

    package init() {}

    package func report(_ outcome: ToolOutcome) {
        stored.withLock { $0 = outcome }
    }

    package var outcome: ToolOutcome? {
        stored.withLock { $0 }
    }
}
