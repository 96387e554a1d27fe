import ControlEndpoints
import JSON
import Logging
import Policy
import ResourceStore

/// Carries one action through the Pulse server's action lifecycle, after the policy allowed it
/// (DESIGN §6, `PULSE_API.md` §4.1, §6.3). The row is `dispatched` and the dispatch is in the audit
/// before the first call; Pulse's side is written to the row once Pulse has planned it when a human is
/// asked (its action id, before any decision), after the human's answer, and always just before execute.
///
/// ```
/// GET /api/resources/{id} ─ not in capabilities[] ─────────────────────────→ refused (Pulse's reason)
///  └ plan {requestId: wire key, reason} ─ refused ──────────────────────────→ refused | failed
///     └ (controlled) ask the human, showing Pulse's plan ─ no ───────────────→ refused (no decision sent)
///        └ plan about to expire, or Pulse says expired/drifted → refresh once (changed: ask again)
///           └ decision approved {planHash} ─ refused ───────────────────────→ failed | refused
///              └ execute {planHash}, up to the deadline ─────────────────────→ completed | failed
///                 └ timeout or drop → poll GET /api/actions/{id} ────────────→ completed | failed | unknown
/// ```
///
/// Nothing is executed twice: the plan is idempotent on the request id, a decision or an execute is
/// never sent again after a doubtful answer (Pulse is read instead), and each step first checks, in
/// the store, that no other server has settled the row meanwhile.
struct PulseDispatch: Sendable {
    let connection: PulseConnection
    let settings: ControlSettings
    let store: ResourceStore
    let clock: ServerClock
    let masker: SecretMasker
    let subject: PulseSubject
    let progress: ProgressReporter
    let logger: Logger

    /// Why the flow stopped early: the row, as it ended.
    enum Stop: Error {
        case ended(ActionRecord)
        case failure(String)
    }

    /// What the human is asked about, from Pulse's plan.
    typealias AskHuman = @Sendable (PulsePlan) async -> Approval.Outcome

    /// Runs the lifecycle for `row` (already `dispatched`); returns the row as it ended.
    func run(
        _ row: ActionRecord, request: ControlRequest, context: ToolContext, ask: AskHuman
    ) async throws(ToolError) -> ActionRecord {
        var state = PulseActionState(requestId: EndpointRequest.wireKey(callerKey: row.idempotencyKey, actionId: row.id))
        do throws(Stop) {
            return try await lifecycle(row, request: request, state: &state, context: context, ask: ask)
        } catch {
            switch error {
            case .ended(let ended): return ended
            case .failure(let message): throw .internalFailure(message)
            }
        }
    }

    private func lifecycle(
        _ row: ActionRecord, request: ControlRequest, state: inout PulseActionState, context: ToolContext, ask: AskHuman
    ) async throws(Stop) -> ActionRecord {
        // The row went to dispatched with this state; the next write is the plan's, before any decision.
        progress.report("reading \(row.resourceId) from Pulse")
        let capability = try await liveCapability(row, request: request, state: state)

        state.stage = "planning"
        let planBody = planRequest(row, capability: capability, params: try params(of: capability, row: row, state: state), state: state)
        var plan = try await makePlan(row, body: planBody, state: state)
        state.adopt(plan)
        state.stage = "planned"
        progress.report("Pulse planned \(capability.name) as \(plan.actionId)")
        var planned = ContinuousClock.now

        var approval = row.approval
        if approval == "pending" {
            // The row shows Pulse's plan while the human is asked. Without a human the next write is
            // the one before execute: a server that stops in between leaves the plan for the
            // reconciler to find by its request id.
            try note(row, state)
            approval = try await approve(row, plan: plan, state: state, ask: ask)
            try note(row, state, approval: approval)
        }

        var renewed = false
        while true {
            if !renewed, plan.isExpiring(since: planned) {
                plan = try await renew(row, plan: plan, planBody: planBody, state: &state, reason: "the plan was about to expire", context: context, ask: ask)
                planned = .now
                renewed = true
            }
            state.stage = "deciding"
            switch try await decide(row, plan: plan, state: state, renewed: renewed, approval: approval) {
            case .stale(let why):
                plan = try await renew(row, plan: plan, planBody: planBody, state: &state, reason: why, context: context, ask: ask)
                planned = .now
                renewed = true
                continue
            case .done(let pulseState):
                state.state = pulseState
            }
            state.stage = "executing"
            try note(row, state)
            switch try await execute(row, plan: plan, state: &state, renewed: renewed) {
            case .stale(let why):
                plan = try await renew(row, plan: plan, planBody: planBody, state: &state, reason: why, context: context, ask: ask)
                planned = .now
                renewed = true
            case .ended(let ending):
                state.stage = "ended"
                return try end(row, ending, state: state)
            }
        }
    }

    // MARK: - Steps

    /// The live capability for the action, or the row ended as Pulse's readiness says.
    private func liveCapability(_ row: ActionRecord, request: ControlRequest, state: PulseActionState) async throws(Stop) -> PulseCapabilities.Capability {
        let call = PulseCall.resource(id: row.resourceId)
        let answer = await connection.lifecycle.send(call)
        guard let body = answer.success else {
            throw .ended(try end(row, PulseAnswerMapping.ending(for: answer, of: call, subject: subject), state: state))
        }
        let capabilities = PulseCapabilities(body)
        switch capabilities.lookup(request.action) {
        case .available(let capability):
            return capability
        case .unavailable(let unavailable):
            throw .ended(try end(row, PulseAnswerMapping.unavailable(reasonCode: unavailable.reasonCode, reason: unavailable.reason, subject: subject), state: state))
        case .absent:
            throw .ended(try end(row, PulseAnswerMapping.absent(capabilities, action: request.action, subject: subject), state: state))
        }
    }

    /// The plan's `params`: each declared parameter's default. One that is required and has no
    /// default cannot be given by this tool, so the action is refused before planning.
    private func params(of capability: PulseCapabilities.Capability, row: ActionRecord, state: PulseActionState) throws(Stop) -> JSONObject {
        var params: JSONObject = [:]
        for param in capability.params {
            guard let name = param["name"]?.stringValue else { continue }
            if let value = param["defaultValue"], !value.isNull {
                params[name] = value
            } else if param["required"]?.boolValue == true {
                let ending = PulseEnding(
                    state: .refused, code: RefusalCode.capabilityUnavailable.rawValue,
                    message: "Cannot \(subject.action) \(subject.resource): Pulse's \(capability.name) needs the parameter '\(name)', which control_resource cannot give. \(PulseAnswerMapping.nothingRan)"
                )
                throw .ended(try end(row, ending, state: state))
            }
        }
        return params
    }

    /// `POST /api/actions/plan`'s body: the wire idempotency key as the request id, Pulse's own verb.
    private func planRequest(
        _ row: ActionRecord, capability: PulseCapabilities.Capability, params: JSONObject, state: PulseActionState
    ) -> JSONValue {
        var body: JSONObject = [
            "requestId": .string(state.requestId), "resourceId": .string(row.resourceId),
            "capabilityName": .string(capability.name),
        ]
        if !params.isEmpty { body["params"] = .object(params) }
        body["reason"] = .string(row.reason)
        return .object(body)
    }

    /// Plans `body` (again: Pulse answers the same request with the same plan while it stands).
    func makePlan(_ row: ActionRecord, body: JSONValue, state: PulseActionState) async throws(Stop) -> PulsePlan {
        let call = PulseCall.plan(body)
        let answer = await connection.lifecycle.send(call)
        guard let plan = PulsePlan(answer.success) else {
            throw .ended(try end(row, PulseAnswerMapping.ending(for: answer, of: call, subject: subject), state: state))
        }
        guard plan.allowed else {
            let ending = PulseEnding(
                state: .refused, code: "pulse_plan_not_allowed",
                message: "Pulse planned \(subject.action) on \(subject.resource) but does not allow it: \(plan.message ?? "no reason given"). \(PulseAnswerMapping.nothingRan)"
            )
            throw .ended(try end(row, ending, state: state))
        }
        return plan
    }

    /// The human's answer about `plan`; a refusal ends the row with no decision sent to Pulse.
    func approve(_ row: ActionRecord, plan: PulsePlan, state: PulseActionState, ask: AskHuman) async throws(Stop) -> String {
        switch await ask(plan) {
        case .granted:
            return "granted"
        case .declined(let why), .unavailable(let why):
            let ending = PulseEnding(
                state: .refused, code: RefusalCode.approvalDeclined.rawValue,
                message: "Refused: \(why). No decision and no execute were sent to Pulse; its plan \(plan.actionId) expires there by itself."
            )
            throw .ended(try end(row, ending, state: state, approval: "declined"))
        }
    }
}
