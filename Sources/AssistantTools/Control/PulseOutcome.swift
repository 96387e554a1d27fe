import JSON
import ResourceStore

/// How Pulse says an action ended, read from an execute answer (`{actionId, state, result}`) or an
/// action detail (`{audit: {state, result}}`), as a ``PulseEnding``.
enum PulseOutcome {
    /// Pulse's states after which the executor has answered.
    static let ran: Set<String> = ["completed", "failed"]
    /// Pulse's states of an action whose execution never began.
    static let neverExecuted: Set<String> = ["planned", "pending_approval", "approved", "rejected", "expired"]
    /// Pulse's states that change no more.
    static let final: Set<String> = ["completed", "failed", "rejected", "expired"]

    /// The ending of an action Pulse reports `state` for, with its `result` (`ExecutionResult`).
    static func ending(state: String, result: JSONValue?, actionId: String, subject: PulseSubject) -> PulseEnding {
        let v2 = result?["actionResultV2"]
        let execution = v2?["execution"]
        let verification = v2?["verification"]
        var said = ""
        if let summary = execution?["summary"]?.stringValue { said += " \(summary)" }
        if let error = result?["errorMessage"]?.stringValue, !error.isEmpty { said += " Pulse's error: \(error)." }
        if let status = verification?["status"]?.stringValue {
            let evidence = verification?["evidenceClass"]?.stringValue.map { ", \($0)" } ?? ""
            let summary = verification?["summary"]?.stringValue.map { ": \($0)" } ?? ""
            said += " Verification: \(status)\(evidence)\(summary)."
        }
        switch state {
        case "completed":
            return PulseEnding(
                state: .completed, code: nil,
                message: "Pulse completed \(subject.action) on \(subject.resource) (Pulse action \(actionId)).\(said)", observed: v2
            )
        case "failed":
            let ran = execution?["status"]?.stringValue == "not_run" ? " Pulse's executor did not run it." : ""
            return PulseEnding(
                state: .failed, code: "pulse_action_failed",
                message: "Pulse ran \(subject.action) on \(subject.resource) and it failed (Pulse action \(actionId)).\(ran)\(said)", observed: v2
            )
        default:
            return notExecuted(state: state, actionId: actionId, subject: subject)
        }
    }

    /// The ending of an action Pulse holds in a state before execution: it never ran.
    static func notExecuted(state: String, actionId: String, subject: PulseSubject) -> PulseEnding {
        PulseEnding(
            state: .failed, code: "pulse_not_executed",
            message: "Pulse never executed \(subject.action) on \(subject.resource): its action \(actionId) is \(state). "
                + "\(PulseAnswerMapping.nothingRan) Ask again to plan it anew."
        )
    }

    /// The ending when Pulse cannot say yet: the execute call got no answer and Pulse still reports
    /// `state` (or could not be read).
    static func undetermined(state: String?, actionId: String, reason: String, subject: PulseSubject) -> PulseEnding {
        let now = state.map { "Pulse still reports it \($0)" } ?? "Pulse could not be read since"
        return PulseEnding(
            state: .unknown, code: "pulse_no_answer",
            message: "The execute call for \(subject.action) on \(subject.resource) got no answer (\(reason)), and \(now): "
                + "it may still complete. get_action_status asks Pulse again (Pulse action \(actionId)); read the resource before asking again."
        )
    }
}
