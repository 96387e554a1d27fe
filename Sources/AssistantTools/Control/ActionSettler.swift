import ControlEndpoints
import Policy
import ResourceStore

/// Ends the actions a stopped server left unfinished, as the state machine says, once their deadlines
/// have passed by this server's clock:
///
/// ```
/// dispatched, past actionDeadlineMs + answer grace + margin       → unknown  (it may have run)
/// planned, approval pending, past approval timeout + connect + margin → refused (nothing was sent)
/// planned, not pending, past connectTimeoutMs + margin             → failed   (nothing was sent)
/// dispatched on the pulse route, untouched past its deadlines       → unknown  (get_action_status asks Pulse)
/// ```
///
/// Run before a control call and before an action is read, so a row is never seen `dispatched` or
/// `planned` for ever, and its key answers a final state. A live server's own action is never
/// touched: its deadlines end first, and the margin covers clocks a little apart.
struct ActionSettler: Sendable {
    let settings: ControlSettings
    let clock: ServerClock

    /// Slack past every deadline, in milliseconds.
    static let margin: Int64 = 5_000

    func settle(_ store: ResourceStore) throws(ToolError) {
        let now = clock.milliseconds()
        let answer = Int64(settings.actionDeadlineMilliseconds) + ControlProtocol.answerGrace.components.seconds * 1000 + ControlProtocol.answerGrace.components.attoseconds / 1_000_000_000_000_000 + Self.margin
        let connect = Int64(settings.connectTimeoutMilliseconds) + Self.margin
        let approval = Int64(settings.approvalTimeoutSeconds * 1000) + connect
        let pulse = settings.pulse.abandonedAfterMilliseconds(approvalTimeoutSeconds: settings.approvalTimeoutSeconds) + Self.margin
        let rules = [
            ResourceStore.StaleActionRule(
                state: .dispatched, column: .dispatchedAt, before: now - answer, target: .unknown, code: "endpoint_no_answer",
                message: "No answer was recorded within \(answer) ms of sending: the server that sent it stopped first. "
                    + "The endpoint may have applied it; read the resource before asking again.",
                pulseRoute: false
            ),
            ResourceStore.StaleActionRule(
                state: .dispatched, column: .updatedAt, before: now - pulse, target: .unknown, code: "pulse_no_answer",
                message: "The server that sent it to Pulse recorded nothing for \(pulse / 1000) s: it stopped first. "
                    + "get_action_status asks Pulse how it ended; read the resource before asking again.",
                pulseRoute: true
            ),
            ResourceStore.StaleActionRule(
                state: .planned, approvals: ["pending"], column: .updatedAt, before: now - approval, target: .refused,
                code: RefusalCode.approvalDeclined.rawValue,
                message: "Refused: no answer to the approval request was recorded within \(approval / 1000) s: the server asking stopped. Nothing was sent.",
                approval: "declined"
            ),
            ResourceStore.StaleActionRule(
                state: .planned, approvals: ["not-needed", "granted"], column: .updatedAt, before: now - connect, target: .failed,
                code: "dispatch_interrupted",
                message: "Failed before sending: the server stopped while connecting to the endpoint. Nothing was sent."
            ),
        ]
        do {
            try store.settleStaleActions(rules, at: now)
        } catch {
            throw .internalFailure("could not settle unfinished actions: \(error)")
        }
    }
}
