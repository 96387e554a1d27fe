import ControlEndpoints
import JSON
import JSONRPC
import Logging
import Policy
import ResourceStore
import Synchronization

/// Carries one control call from the decision to its end, writing every step to the store first.
///
/// ```
/// decide ─ refuse ───────────────────────────────────────────────→ refused
///        └ dispatch → planned ─ approval (controlled) ─ declined ─→ refused
///                             └ token, connect, hello ─ failed ───→ failed      (nothing sent)
///                             └ dispatched → endpoint ───────────→ completed | failed | unknown
/// ```
///
/// On the `pulse` route (a resource synced from Pulse) the dispatch goes through the Pulse server's
/// action lifecycle instead (``PulseDispatch``), and the human is asked once Pulse has planned it.
///
/// The row is written before anything leaves, so a crash leaves a record, and its idempotency key is
/// unique, so the same key never dispatches twice, not even from two servers on one store.
package struct ActionDispatcher: Sendable {
    let services: ReadServices
    let evaluator: ControlEvaluator
    let transport: any ControlTransport
    let ids: IdentifierSource
    /// Masked in everything an endpoint says and in what the caller wrote, before it is stored or sent.
    let secrets: KnownSecrets
    /// Where the dispatch is recorded before anything is sent; nil records nothing (tests of the tool alone).
    let audit: AuditTrail?
    /// The Pulse server of the `pulse` route; nil when none is configured.
    let pulse: PulseConnection?
    let logger: Logger

    package init(
        services: ReadServices, evaluator: ControlEvaluator, transport: any ControlTransport, ids: IdentifierSource,
        secrets: KnownSecrets = KnownSecrets(), audit: AuditTrail? = nil, pulse: PulseConnection? = nil, logger: Logger
    ) {
        self.services = services
        self.evaluator = evaluator
        self.transport = transport
        self.ids = ids
        self.secrets = secrets
        self.audit = audit
        self.pulse = pulse
        self.logger = logger
    }

    /// Reads Pulse's side of an open `pulse` action; nil without a Pulse server.
    var reconciler: PulseReconciler? {
        pulse.map { PulseReconciler(lifecycle: $0.lifecycle, settings: settings, clock: evaluator.clock, masker: secrets.masker) }
    }

    private var settings: ControlSettings { evaluator.settings }
    private var now: Int64 { evaluator.clock.milliseconds() }

    /// Runs `request`: the action's JSON, or a ``ToolError/reported(_:)`` when it was refused or failed.
    func run(_ request: ControlRequest, context: ToolContext) async throws(ToolError) -> JSONValue {
        var request = try request.masking(secrets.masker)
        // An alias (a synced resource's other name) is recorded, matched and dispatched as the canonical id.
        if let canonical = try services.read({ try $0.resource(id: request.resourceId)?.id }) {
            request.resourceId = canonical
        }
        let store = try services.store()
        try ActionSettler(settings: settings, clock: evaluator.clock).settle(store)
        if let key = request.idempotencyKey, let first = try services.read({ try $0.action(idempotencyKey: key) }) {
            return try replay(await settled(first, store: store), for: request, context: context)
        }
        let evaluation = try services.read { reader in
            evaluator.evaluate(try evaluator.inputs(
                resourceId: request.resourceId, action: request.action, replicas: request.replicas, reader: reader
            ))
        }
        let typed = ActionDecision(evaluation, manifest: evaluator.manifest)
        let decision = typed.jsonValue
        if request.dryRun {
            context.outcome.report(ToolOutcome(dryRun: typed))
            return dryRun(request, decision: decision, evaluation: evaluation)
        }

        var row = ActionRecord(
            id: ids.make(), idempotencyKey: request.idempotencyKey, resourceId: request.resourceId,
            action: request.action.rawValue, reason: request.reason, request: request.json.description,
            controlLevel: settings.level.rawValue, decision: decision.description, state: .planned, createdAt: now
        )
        let message = decision["message"]?.stringValue ?? ""
        switch (evaluation.decision.outcome, evaluation.decision.needsApproval) {
        case (.refuse(let code, _, let hint), _):
            row.state = .refused
            row.code = code.rawValue
            row.message = message + " " + hint
        case (_, true):
            if let missing = Approval.availability(context) {
                row.state = .refused
                row.approval = "unavailable"
                row.code = RefusalCode.approvalUnavailable.rawValue
                row.message = "Refused: control level controlled needs a human's approval for each action, and \(missing). "
                    + "Use an MCP client with elicitation (form mode), or ask the operator to change the control level."
            } else if let round = context.approvalRound, round.answer == nil, let route = evaluation.decision.route {
                // 2026-07-28: the form goes out in the result; nothing is recorded until the retry answers it.
                let summary = ControlPolicy.summary(of: evaluation.decision, for: evaluation.inputs, manifest: evaluator.manifest)
                round.ask(Approval.message(action: row.action, resourceId: row.resourceId, summary: summary, route: route, reason: row.reason))
                throw .rejected("a human's approval is required")
            } else {
                row.approval = "pending"
            }
        case (_, false):
            row.approval = "not-needed"
        }
        row.finishedAt = row.state.isFinal ? row.createdAt : nil

        switch try write(row, in: store) {
        case .existing(let first):
            return try replay(await settled(first, store: store), for: request, context: context)
        case .recorded(let recorded) where recorded.state == .refused:
            throw .reported(recorded.json(reportingTo: context))
        case .recorded(let recorded):
            guard let route = evaluation.decision.route else { throw .internalFailure("a planned action without a route") }
            // The tasks extension: the row is durable, so the call may answer with its task now.
            context.task?.recorded(actionId: recorded.id)
            return try await dispatch(recorded, request: request, route: route, evaluation: evaluation, context: context, store: store)
        }
    }

    // MARK: - Steps

    private func dispatch(
        _ planned: ActionRecord, request: ControlRequest, route: ControlDecision.Route, evaluation: ControlEvaluator.Evaluation,
        context: ToolContext, store: ResourceStore
    ) async throws(ToolError) -> JSONValue {
        if route.kind == .pulse {
            return try await dispatchThroughPulse(planned, request: request, route: route, evaluation: evaluation, context: context, store: store)
        }
        var approval = planned.approval
        if approval == "pending" {
            let summary = ControlPolicy.summary(of: evaluation.decision, for: evaluation.inputs, manifest: evaluator.manifest)
            let message = Approval.message(action: planned.action, resourceId: planned.resourceId, summary: summary, route: route, reason: planned.reason)
            switch await Approval.ask(message, context: context, timeout: settings.approvalTimeoutSeconds) {
            case .granted:
                approval = "granted"
            case .declined(let why), .unavailable(let why):
                throw .reported(try finish(planned, from: [.planned], to: .refused, code: RefusalCode.approvalDeclined.rawValue,
                    message: "Refused: \(why). Nothing was sent.", approval: "declined", store: store).json(reportingTo: context))
            }
        }
        context.task?.dispatching()
        let token: String
        switch settings.tokens.token(for: route.id) {
        case .success(let value):
            token = value
            secrets.remember(value)
        case .failure(let problem):
            throw .reported(try finish(planned, from: [.planned], to: .failed, code: "endpoint_token_missing",
                message: "Failed before sending: \(problem.message). The operator configures endpoint tokens.", approval: approval, store: store).json(reportingTo: context))
        }
        let address: EndpointAddress
        do {
            address = try EndpointAddress(parsing: route.endpoint)
        } catch {
            throw .reported(try finish(planned, from: [.planned], to: .failed, code: "endpoint_address_invalid",
                message: "Failed before sending: the store gives '\(route.id)' the endpoint '\(route.endpoint)', which is not usable: \(error).",
                approval: approval, store: store).json(reportingTo: context))
        }
        let masker = secrets.masker
        let progress = ProgressReporter(context: context, masker: masker)
        progress.report("connecting to \(route.id) at \(address)")
        let session: any ControlSession
        switch await transport.open(address, token: token, deadline: .milliseconds(settings.connectTimeoutMilliseconds)) {
        case .success(let opened): session = opened
        case .failure(let failure):
            throw .reported(try finish(planned, from: [.planned], to: .failed, code: Self.code(failure.kind),
                message: "Failed: \(masker.mask(failure.message)).", approval: approval, store: store).json(reportingTo: context))
        }
        // The session is dropped unused on failure, which closes it: nothing was sent.
        if let problem = audit?.recordDispatch(planned, client: context.client) {
            throw .reported(try finish(planned, from: [.planned], to: .failed, code: "audit_unavailable",
                message: "Failed before sending: \(problem)", approval: approval, store: store).json(reportingTo: context))
        }
        guard try advance(planned, from: [.planned], to: .dispatched, approval: approval, store: store) != nil else {
            throw .internalFailure("action \(planned.id) changed state while it was being dispatched")
        }
        progress.report("sent \(request.action.rawValue) to \(route.id)")
        let outcome = await session.execute(
            EndpointRequest(
                actionId: planned.id, resourceId: planned.resourceId, action: planned.action, params: request.endpointParams,
                idempotencyKey: EndpointRequest.wireKey(callerKey: planned.idempotencyKey, actionId: planned.id),
                deadlineMilliseconds: settings.actionDeadlineMilliseconds
            ),
            progress: { progress.report($0.message ?? "\(route.id) is working") }
        )
        let state: ActionRecord.State = switch outcome.state {
        case .completed: .completed
        case .failed: .failed
        case .unknown: .unknown
        }
        let ended = try finish(planned, from: [.dispatched], to: state, code: outcome.state == .completed ? nil : Self.code(outcome.state),
            message: masker.mask(outcome.message), observed: outcome.observed.map { masker.mask($0).description }, approval: nil, store: store)
        logger.info("control action ended", metadata: ["action": "\(ended.id)", "state": "\(ended.state.rawValue)", "route": "\(route.id)"])
        guard !ended.isFailure else { throw .reported(ended.json(reportingTo: context)) }
        return ended.json(reportingTo: context)
    }

    /// The Pulse leg: the dispatch is audited and the row `dispatched` before the first call to Pulse.
    private func dispatchThroughPulse(
        _ planned: ActionRecord, request: ControlRequest, route: ControlDecision.Route, evaluation: ControlEvaluator.Evaluation,
        context: ToolContext, store: ResourceStore
    ) async throws(ToolError) -> JSONValue {
        guard let pulse else {
            throw .reported(try finish(planned, from: [.planned], to: .failed, code: RefusalCode.executorUnavailable.rawValue,
                message: "Failed before sending: this server has no Pulse server to act through. Nothing was sent.",
                approval: planned.approval, store: store).json(reportingTo: context))
        }
        if let problem = audit?.recordDispatch(planned, client: context.client) {
            throw .reported(try finish(planned, from: [.planned], to: .failed, code: "audit_unavailable",
                message: "Failed before sending: \(problem)", approval: planned.approval, store: store).json(reportingTo: context))
        }
        let requestId = EndpointRequest.wireKey(callerKey: planned.idempotencyKey, actionId: planned.id)
        context.task?.dispatching()
        guard let dispatched = try advance(planned, from: [.planned], to: .dispatched, approval: nil,
                                           pulse: PulseActionState(requestId: requestId).text, store: store)
        else { throw .internalFailure("action \(planned.id) changed state while it was being dispatched") }
        let summary = ControlPolicy.summary(of: evaluation.decision, for: evaluation.inputs, manifest: evaluator.manifest)
        let timeout = settings.approvalTimeoutSeconds
        let flow = PulseDispatch(
            connection: pulse, settings: settings, store: store, clock: evaluator.clock, masker: secrets.masker,
            subject: subject(evaluation), progress: ProgressReporter(context: context, masker: secrets.masker), logger: logger
        )
        let ended = try await flow.run(dispatched, request: request, context: context) { plan in
            let message = Approval.message(
                action: planned.action, resourceId: planned.resourceId, summary: summary, route: route, reason: planned.reason,
                plan: plan.approvalLines
            )
            return await Approval.ask(message, context: context, timeout: timeout)
        }
        guard !ended.isFailure else { throw .reported(ended.json(reportingTo: context)) }
        return ended.json(reportingTo: context)
    }

    /// Who a Pulse-routed action is about, in the policy's words.
    private func subject(_ evaluation: ControlEvaluator.Evaluation) -> PulseSubject {
        let target = evaluation.inputs.target
        let platform = target.flatMap { evaluator.manifest.platform(named: $0.platform) }
        let node = target?.ancestors.first { $0.type == .agent } ?? target.flatMap { $0.type == .agent ? $0.chain[0] : nil }
        return PulseSubject(
            action: evaluation.inputs.action.rawValue,
            resource: target.map { "\($0.type.rawValue) '\($0.name)' (\($0.id))" } ?? evaluation.inputs.requestedResourceId,
            node: node.map { "'\($0.name)' (\($0.id))" }, platform: platform?.displayName ?? "its platform"
        )
    }

    /// An earlier action as it is now: a `pulse` one still open here is read from Pulse first.
    private func settled(_ first: ActionRecord, store: ResourceStore) async -> ActionRecord {
        guard first.pulse != nil, let reconciler else { return first }
        return await reconciler.reconcile(first, store: store)
    }

    private func replay(_ first: ActionRecord, for request: ControlRequest, context: ToolContext) throws(ToolError) -> JSONValue {
        guard request.matches(ActionRecord.parse(first.request)) else {
            throw .rejected("""
                idempotencyKey '\(request.idempotencyKey ?? "")' was already used by action \(first.id) for \(first.action) on \
                \(first.resourceId); a key names one request. Use a new idempotencyKey for this one.
                """)
        }
        let json = first.json(replayed: true, reportingTo: context)
        guard !first.isFailure else { throw .reported(json) }
        return json
    }

    private func dryRun(_ request: ControlRequest, decision: JSONValue, evaluation: ControlEvaluator.Evaluation) -> JSONValue {
        var object: JSONObject = [
            "state": "dry-run", "dryRun": true, "replayed": false, "resourceId": .string(request.resourceId),
            "action": .string(request.action.rawValue), "reason": .string(request.reason),
        ]
        object.setIfPresent("replicas", request.replicas.map { .integer(Int64($0)) })
        object.setIfPresent("idempotencyKey", request.idempotencyKey.map(JSONValue.string))
        object["decision"] = decision
        let verdict = evaluation.decision.dispatches
            ? "it would be sent to \(evaluation.decision.route?.id ?? "")\(evaluation.decision.needsApproval ? " after a human approves it" : "")"
            : "it would be refused (\(evaluation.decision.refusalCode?.rawValue ?? ""))"
        object["message"] = .string("Dry run: nothing was recorded or sent; \(verdict).")
        return .object(object)
    }

    // MARK: - Store

    private func write(_ row: ActionRecord, in store: ResourceStore) throws(ToolError) -> ActionRecording {
        do {
            return try store.record(row)
        } catch {
            throw .internalFailure("could not record the action: \(error)")
        }
    }

    private func advance(
        _ action: ActionRecord, from: Set<ActionRecord.State>, to state: ActionRecord.State, code: String? = nil, message: String? = nil,
        observed: String? = nil, approval: String?, pulse: String? = nil, store: ResourceStore
    ) throws(ToolError) -> ActionRecord? {
        do {
            return try store.advance(
                action: action.id, from: from, to: state, at: now, code: code, message: message, observed: observed, approval: approval,
                pulse: pulse
            )
        } catch {
            throw .internalFailure("could not update action \(action.id): \(error)")
        }
    }

    private func finish(
        _ action: ActionRecord, from: Set<ActionRecord.State>, to state: ActionRecord.State, code: String?, message: String,
        observed: String? = nil, approval: String?, store: ResourceStore
    ) throws(ToolError) -> ActionRecord {
        if let ended = try advance(action, from: from, to: state, code: code, message: message, observed: observed, approval: approval, store: store) {
            return ended
        }
        // Another server settled it first, past its deadlines (ActionSettler): that ending stands.
        guard let current = try services.read({ try $0.action(id: action.id) }), current.state.isFinal else {
            throw .internalFailure("action \(action.id) changed state while it was being \(state.rawValue)")
        }
        return current
    }

    static func code(_ kind: EndpointFailure.Kind) -> String {
        switch kind {
        case .connectFailed: "endpoint_unreachable"
        case .timedOut: "endpoint_timeout"
        case .tokenRejected: "endpoint_token_rejected"
        case .helloFailed: "endpoint_hello_failed"
        }
    }

    static func code(_ state: EndpointOutcome.State) -> String {
        switch state {
        case .completed: "completed"
        case .failed: "endpoint_failed"
        case .unknown: "endpoint_no_answer"
        }
    }
}

/// `notifications/progress` for a call that carried a `progressToken`; silent otherwise.
///
/// Every message is masked first: an endpoint's progress text is outside text like its answer.
final class ProgressReporter: Sendable {
    private let context: ToolContext
    private let masker: SecretMasker
    private let count = Mutex(0)

    init(context: ToolContext, masker: SecretMasker) {
        self.context = context
        self.masker = masker
    }

    func report(_ message: String) {
        guard let token = context.progressToken else { return }
        let step = count.withLock { value in
            value += 1
            return value
        }
        var params: JSONObject = ["progressToken": token, "progress": .integer(Int64(step))]
        if context.protocolVersion >= .v2025_03_26 {
            params["message"] = .string(masker.mask(message))
        }
        context.peer.notify(Notification(method: "notifications/progress", params: .object(params)))
    }
}
