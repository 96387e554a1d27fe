import ControlEndpoints
import JSON
import Policy
import ResourceStore

extension PulseDispatch {
    /// What a decision or an execute came to: on, or a plan to renew first.
    enum Step {
        case done(String?)
        case stale(String)
    }

    enum Executed {
        case ended(PulseEnding)
        case stale(String)
    }

    /// Pulse's refusals that a renewed plan answers.
    static let staleCodes: Set<String> = ["action_plan_expired", "action_plan_drift"]

    /// What Pulse's audit says of who allowed it.
    func decisionReason(_ row: ActionRecord, approval: String?) -> String {
        approval == "granted"
            ? "Approved by a human through pulse-assistant (MCP elicitation, control level controlled): \(row.reason)"
            : "Allowed by pulse-assistant's policy at control level \(row.controlLevel): \(row.reason)"
    }

    // MARK: - Decision

    func decide(
        _ row: ActionRecord, plan: PulsePlan, state: PulseActionState, renewed: Bool, approval: String?
    ) async throws(Stop) -> Step {
        guard plan.requiresApproval else { return .done(plan.state) }
        progress.report("approving \(plan.actionId) on Pulse")
        let body: JSONValue = ["outcome": "approved", "reason": .string(decisionReason(row, approval: approval)), "planHash": .string(plan.planHash)]
        let call = PulseCall.decide(actionId: plan.actionId, body)
        let answer = await connection.lifecycle.send(call)
        if let decided = answer.success { return .done(decided["state"]?.stringValue ?? "approved") }
        if case .answered(_, let body, _) = answer, let code = body?["error"]?.stringValue {
            if !renewed, Self.staleCodes.contains(code) { return .stale(code) }
            // A decision whose answer was lost and that is sent again finds the action decided.
            if code == "action_not_pending", await pulseState(of: plan.actionId) == "approved" { return .done("approved") }
        }
        if case .lost = answer, await pulseState(of: plan.actionId) == "approved" { return .done("approved") }
        throw .ended(try end(row, PulseAnswerMapping.ending(for: answer, of: call, subject: subject), state: state))
    }

    // MARK: - Execute

    func execute(_ row: ActionRecord, plan: PulsePlan, state: inout PulseActionState, renewed: Bool) async throws(Stop) -> Executed {
        let deadline = settings.pulse.executeDeadlineSeconds
        progress.report("executing \(plan.actionId) on Pulse (up to \(Int(deadline)) s)")
        let start = ContinuousClock.now
        let body: JSONValue = ["reason": .string(row.reason), "planHash": .string(plan.planHash)]
        let call = PulseCall.execute(actionId: plan.actionId, body)
        let answer = await connection.lifecycle.send(call)
        switch answer {
        case .answered(let status, let body?, _) where (200..<300).contains(status):
            let pulseState = body["state"]?.stringValue ?? "executing"
            state.adopt(result: body["result"], state: pulseState)
            if PulseOutcome.ran.contains(pulseState) {
                return .ended(PulseOutcome.ending(state: pulseState, result: body["result"], actionId: plan.actionId, subject: subject))
            }
            return .ended(try await poll(row, actionId: plan.actionId, since: start, reason: "Pulse answered \(pulseState)", state: &state))
        case .answered(let status, _, _) where status >= 500:
            // The executor may have started before Pulse failed to answer: Pulse says what happened.
            return .ended(try await poll(row, actionId: plan.actionId, since: start, reason: "HTTP \(status)", state: &state))
        case .answered(_, let body, _):
            if !renewed, let code = body?["error"]?.stringValue, Self.staleCodes.contains(code) { return .stale(code) }
            return .ended(PulseAnswerMapping.ending(for: answer, of: call, subject: subject))
        case .lost(let reason):
            return .ended(try await poll(row, actionId: plan.actionId, since: start, reason: reason, state: &state))
        case .notSent:
            return .ended(PulseAnswerMapping.ending(for: answer, of: call, subject: subject))
        }
    }

    /// Reads the action until Pulse says how it ended, or the execute deadline and its grace pass.
    func poll(
        _ row: ActionRecord, actionId: String, since start: ContinuousClock.Instant, reason: String, state: inout PulseActionState
    ) async throws(Stop) -> PulseEnding {
        state.stage = "polling"
        try note(row, state)
        progress.report("no answer to execute (\(reason)); asking Pulse how \(actionId) is going")
        let timing = settings.pulse
        let end = start + .milliseconds(Int64((timing.executeDeadlineSeconds + timing.pollGraceSeconds) * 1000))
        var last: String?
        while true {
            let answer = await connection.lifecycle.send(.detail(actionId: actionId))
            if let audit = answer.success?["audit"], let pulseState = audit["state"]?.stringValue {
                last = pulseState
                if PulseOutcome.ran.contains(pulseState) {
                    state.adopt(result: audit["result"], state: pulseState)
                    return PulseOutcome.ending(state: pulseState, result: audit["result"], actionId: actionId, subject: subject)
                }
                if pulseState == "rejected" || pulseState == "expired" {
                    state.state = pulseState
                    return PulseOutcome.notExecuted(state: pulseState, actionId: actionId, subject: subject)
                }
            }
            let now = ContinuousClock.now
            guard now < end else { break }
            try? await Task.sleep(for: min(.milliseconds(Int64(timing.pollIntervalSeconds * 1000)), end - now))
        }
        state.state = last ?? state.state
        if let last, PulseOutcome.neverExecuted.contains(last) {
            // The execute never reached the executor: Pulse moves an action to executing before it dispatches.
            return PulseOutcome.notExecuted(state: last, actionId: actionId, subject: subject)
        }
        return PulseOutcome.undetermined(state: last, actionId: actionId, reason: reason, subject: subject)
    }

    /// Pulse's state of an action now, nil when it cannot be read.
    func pulseState(of actionId: String) async -> String? {
        await connection.lifecycle.send(.detail(actionId: actionId)).success?["audit"]?["state"]?.stringValue
    }

    // MARK: - Renewal

    /// A new plan for an expired or drifted one (`POST /api/actions/{id}/refresh`); the human is asked
    /// again under `controlled` when it asks something different.
    ///
    /// When Pulse will not refresh it (`action_refresh_not_allowed`: by Pulse's own reckoning it has
    /// neither expired nor drifted), a renewal our clock asked for keeps the plan, and one Pulse's
    /// refusal asked for plans the same request again: Pulse answers with the plan that stands.
    func renew(
        _ row: ActionRecord, plan: PulsePlan, planBody: JSONValue, state: inout PulseActionState, reason: String,
        context: ToolContext, ask: AskHuman
    ) async throws(Stop) -> PulsePlan {
        progress.report("renewing Pulse's plan \(plan.actionId) (\(reason))")
        let call = PulseCall.refresh(actionId: plan.actionId, ["planHash": .string(plan.planHash)])
        let answer = await connection.lifecycle.send(call)
        let renewed: PulsePlan
        if let refreshed = PulsePlan(detail: answer.success) {
            renewed = refreshed
        } else if case .answered(_, let body, _) = answer, body?["error"]?.stringValue == "action_refresh_not_allowed" {
            guard Self.staleCodes.contains(reason) else { return plan }
            renewed = try await makePlan(row, body: planBody, state: state)
        } else {
            throw .ended(try end(row, PulseAnswerMapping.ending(for: answer, of: call, subject: subject), state: state))
        }
        state.adopt(renewed)
        try note(row, state)
        guard renewed.differs(from: plan), settings.level == .controlled else { return renewed }
        if context.approvalRound != nil {
            let ending = PulseEnding(
                state: .failed, code: "pulse_plan_changed",
                message: "Pulse's plan for \(subject.action) on \(subject.resource) changed after the human approved it (\(reason)): \(renewed.intendedChange ?? renewed.actionId). \(PulseAnswerMapping.nothingRan) Call control_resource again so the human sees the new plan."
            )
            throw .ended(try end(row, ending, state: state))
        }
        let approval = try await approve(row, plan: renewed, state: state, ask: ask)
        try note(row, state, approval: approval)
        return renewed
    }

    // MARK: - Store

    /// Writes Pulse's side of the row before the next step; stops when another server settled it.
    func note(_ row: ActionRecord, _ state: PulseActionState, approval: String? = nil) throws(Stop) {
        let noted: ActionRecord?
        do {
            noted = try store.notePulse(action: row.id, in: [.dispatched], pulse: state.text, approval: approval, at: clock.milliseconds())
        } catch {
            throw .failure("could not update action \(row.id): \(error)")
        }
        guard noted == nil else { return }
        throw .ended(try current(row))
    }

    /// Ends the row as `ending` says; when another server ended it first, that ending stands.
    func end(_ row: ActionRecord, _ ending: PulseEnding, state: PulseActionState, approval: String? = nil) throws(Stop) -> ActionRecord {
        let approval = approval ?? Self.approvalNeverAsked(row, stage: state.stage)
        var state = state
        if ending.state.isFinal { state.stage = "ended" }
        let ended: ActionRecord?
        do {
            ended = try store.advance(
                action: row.id, from: [.dispatched], to: ending.state, at: clock.milliseconds(), code: ending.code,
                message: masker.mask(ending.message), observed: ending.observed.map { masker.mask($0).description },
                approval: approval, pulse: state.text
            )
        } catch {
            throw .failure("could not update action \(row.id): \(error)")
        }
        logger.info("control action ended", metadata: ["action": "\(row.id)", "state": "\(ending.state.rawValue)", "route": "pulse"])
        if let ended { return ended }
        return try current(row)
    }

    /// `not-asked` for a row that waited for a human and ended before Pulse planned it: the question was
    /// never put. Before the plan nothing else has written the row's approval, so `row` still says it.
    static func approvalNeverAsked(_ row: ActionRecord, stage: String) -> String? {
        row.approval == "pending" && ["checking", "planning"].contains(stage) ? "not-asked" : nil
    }

    private func current(_ row: ActionRecord) throws(Stop) -> ActionRecord {
        let found: ActionRecord?
        do {
            found = try store.read { reader throws -> ActionRecord? in try reader.action(id: row.id) }
        } catch {
            throw .failure("could not read action \(row.id): \(error)")
        }
        guard let found, found.state.isFinal else {
            throw .failure("action \(row.id) changed state while it was being dispatched through Pulse")
        }
        return found
    }
}

extension PulsePlan {
    /// Whether the plan, received at `received`, is close enough to its expiry to renew it before
    /// deciding: within a fifth of its lifetime, at most 10 s (Pulse's clock and ours may differ).
    func isExpiring(since received: ContinuousClock.Instant) -> Bool {
        let lifetime = lifetimeSeconds ?? 300
        let margin = min(10, lifetime / 5)
        return ContinuousClock.now - received >= .milliseconds(Int64((lifetime - margin) * 1000))
    }
}
