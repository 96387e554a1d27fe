import JSON
import JSONRPC
import Logging

/// A modern `tools/call`, and the approval of a controlled `control_resource` as a multi-round-trip
/// request:
///
/// ```
/// call ────────────────────────────→ InputRequiredResult {inputRequests.approval: the form, requestState}
/// retry (new id, same arguments, requestState echoed, inputResponses.approval)
///   state fails a check ───────────→ -32602 "Invalid or expired requestState"   (nothing recorded or sent)
///   no answer ─────────────────────→ asked again
///   accept + approve: true ────────→ dispatched as a legacy approval would be
///   anything else ─────────────────→ refused approval_declined                  (nothing sent)
/// ```
///
/// A `control_resource` call that declares the tasks extension (and carries no `requestState`) is
/// answered with a task instead (``callAsTask(_:arguments:context:since:)``): its approval is the
/// task's `input_required`, answered with `tasks/update`.
extension MCPServer {
    /// The key of the one input request an approval asks.
    static let approvalInput = "approval"

    func callModern(_ modern: ModernRequest, id: RequestID, peer: any Peer) -> Reply {
        let started = ContinuousClock.now
        let arguments = modern.params["arguments"]
        let client = modern.client
        guard let name = modern.params["name"]?.stringValue else {
            return .now(audited(.failure(.invalidParams("tools/call needs a string name")), tool: "", arguments: arguments, client: client, since: started))
        }
        var prepared = ToolContext(requestID: id, protocolVersion: .v2025_11_25, client: client, progressToken: modern.progressToken, peer: peer)
        prepared.isModern = true
        if let required = modern.requirements(for: name, in: self.modern) {
            guard modern.declares(required) else {
                let missing = JSONRPCError.missingRequiredClientCapability(
                    required, why: "\(name) asks a human to approve each action (control level controlled): declare elicitation (form mode)")
                return .now(audited(.failure(missing), tool: name, arguments: arguments, client: client, since: started))
            }
        }
        if wantsTask(modern, tool: name), self.modern.tasks.reserve() {
            return callAsTask(name, arguments: arguments, context: prepared, since: started)
        }
        if modern.requirements(for: name, in: self.modern) != nil {
            switch approvalRound(modern, tool: name) {
            case .success(let round): prepared.approvalRound = round
            case .failure(let refused): return .now(audited(.failure(refused), tool: name, arguments: arguments, client: client, since: started))
            }
        }
        let registry = self.registry
        let context = prepared
        if registry.runsInline(name) {
            return .inline {
                let answer = Result { () throws(JSONRPCError) in try registry.callInline(name, arguments: arguments, context: context) }
                return self.finish(answer, tool: name, arguments: arguments, context: context, since: started)
            }
        }
        // As in the legacy era: SQLite and the audit append block the store's threads, not the pool's.
        return .later(on: storeThreads) {
            await registry.callOnStoreThreads(name, arguments: arguments, context: context, on: self.storeThreads) { answer in
                self.finish(answer, tool: name, arguments: arguments, context: context, since: started)
            }
        }
    }

    /// The round a call is in: a first one, or a verified retry carrying its answer.
    private func approvalRound(_ modern: ModernRequest, tool: String) -> Result<ApprovalRound, JSONRPCError> {
        guard let echoed = modern.params["requestState"] else { return .success(ApprovalRound(answer: nil)) }
        let approvals = self.modern.approvals
        guard let token = echoed.stringValue else { return .failure(ApprovalStates.invalid) }
        switch approvals.verify(token, tool: tool, arguments: modern.params["arguments"], client: modern.client) {
        case .failure(let why):
            logger.warning("requestState rejected", metadata: ["tool": "\(tool)", "reason": "\(why.rawValue)"])
            return .failure(ApprovalStates.invalid)
        case .success(let approval):
            guard let response = modern.params["inputResponses"]?[Self.approvalInput] else {
                // The answer is missing: ask again (the state is not spent).
                return .success(ApprovalRound(answer: nil))
            }
            guard approvals.redeem(approval) else {
                logger.warning("requestState rejected", metadata: ["tool": "\(tool)", "reason": "already used"])
                return .failure(ApprovalStates.invalid)
            }
            return .success(ApprovalRound(answer: Approval.judge(response)))
        }
    }

    /// The modern answer: an `InputRequiredResult` when the dispatcher asked, else the call's own result.
    func finish(
        _ answer: Result<JSONValue, JSONRPCError>, tool: String, arguments: JSONValue?, context: ToolContext, since started: ContinuousClock.Instant
    ) -> Result<JSONValue, JSONRPCError> {
        var answer = answer
        if let message = context.approvalRound?.asked {
            answer = Result { () throws(JSONRPCError) in
                let state = try modern.approvals.mint(tool: tool, arguments: arguments, client: context.client)
                return [
                    "resultType": "input_required",
                    "inputRequests": [Self.approvalInput: ["method": "elicitation/create", "params": Approval.request(message: message, version: .v2025_11_25)]],
                    "requestState": .string(state),
                ]
            }
        }
        return audited(answer, tool: tool, arguments: arguments, client: context.client, outcome: context.outcome.outcome, since: started).map { complete($0) }
    }
}

extension ModernRequest {
    func requirements(for tool: String, in era: ModernEra) -> JSONObject? {
        era.requirements[tool]
    }
}
