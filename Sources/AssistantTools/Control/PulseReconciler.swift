import ControlEndpoints
import JSON
import ResourceStore

/// Reads Pulse's side of an action on the `pulse` route that is still open here (`dispatched`) or
/// ended `unknown`, and settles the row when Pulse knows how it ended. It only reads: it never plans,
/// decides or executes, so a retry, a second server or a restarted one can never run an action twice.
///
/// ```
/// Pulse's action completed | failed              → the row ends so (from dispatched or unknown)
/// executing                                      → left as it is (it may still complete)
/// planned, pending, approved, rejected, expired  → failed, nothing ran: only once the row is
///                                                  abandoned (unknown, or untouched past the
///                                                  route's deadlines); a live server may be
///                                                  about to send the next step
/// no action id recorded                          → found by its request id in Pulse's lists
/// ```
struct PulseReconciler: Sendable {
    let lifecycle: any PulseLifecycle
    let settings: ControlSettings
    let clock: ServerClock
    /// Masks known secrets in what Pulse says before it is stored.
    let masker: SecretMasker

    /// `row` as it is after asking Pulse; the row itself when there is nothing to ask or no answer.
    func reconcile(_ row: ActionRecord, store: ResourceStore) async -> ActionRecord {
        guard row.state == .dispatched || row.state == .unknown, var state = PulseActionState(parsing: row.pulse) else { return row }
        let subject = Self.subject(of: row)
        let abandoned = row.state == .unknown
            || clock.milliseconds() - row.updatedAt > settings.pulse.abandonedAfterMilliseconds(approvalTimeoutSeconds: settings.approvalTimeoutSeconds)
        if state.actionId == nil, let found = await find(requestId: state.requestId) {
            state.actionId = found
        }
        guard let actionId = state.actionId else {
            guard abandoned else { return row }
            let ending = PulseEnding(
                state: .failed, code: "pulse_not_executed",
                message: "Pulse has no action planned for request \(state.requestId): the server that asked stopped before planning it. \(PulseAnswerMapping.nothingRan)"
            )
            return settle(row, ending, state: state, store: store)
        }
        guard let audit = await lifecycle.send(.detail(actionId: actionId)).success?["audit"],
              let pulseState = audit["state"]?.stringValue
        else { return row }
        if PulseOutcome.ran.contains(pulseState) {
            state.adopt(result: audit["result"], state: pulseState)
            state.stage = "ended"
            return settle(row, PulseOutcome.ending(state: pulseState, result: audit["result"], actionId: actionId, subject: subject), state: state, store: store)
        }
        guard abandoned, PulseOutcome.neverExecuted.contains(pulseState) else { return row }
        state.state = pulseState
        state.stage = "ended"
        return settle(row, PulseOutcome.notExecuted(state: pulseState, actionId: actionId, subject: subject), state: state, store: store)
    }

    /// The action Pulse planned for `requestId`, open or settled.
    private func find(requestId: String) async -> String? {
        for view in ["pending", "settled"] {
            let actions = await lifecycle.send(.list(view: view)).success?["actions"]?.arrayValue ?? []
            if let match = actions.first(where: { $0["request"]?["requestId"]?.stringValue == requestId }) {
                return match["id"]?.stringValue
            }
        }
        return nil
    }

    private func settle(_ row: ActionRecord, _ ending: PulseEnding, state: PulseActionState, store: ResourceStore) -> ActionRecord {
        let settled = try? store.advance(
            action: row.id, from: [.dispatched, .unknown], to: ending.state, at: clock.milliseconds(), code: ending.code,
            message: masker.mask("Settled from Pulse: " + ending.message), observed: ending.observed.map { masker.mask($0).description },
            pulse: state.text
        )
        return settled ?? (try? store.read { try $0.action(id: row.id) }).flatMap { $0 } ?? row
    }

    /// Who the action is about, from the row alone (the resource may have changed since).
    static func subject(of row: ActionRecord) -> PulseSubject {
        PulseSubject(action: row.action, resource: "resource \(row.resourceId)", node: nil, platform: "the platform")
    }
}
