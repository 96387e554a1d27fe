import AuditLog
import JSON
import JSONRPC
import ResourceStore

extension AuditTrail {
    /// Records that `action` is about to be sent, before a byte of it leaves: a server killed while
    /// the endpoint works still leaves the call that dispatched it in the audit.
    ///
    /// The record has the outcome `dispatched`, the action's class, route and id, and the request as
    /// the action row keeps it; the call's own record follows when it ends. Recorded under every scope.
    ///
    /// - Returns: nil once committed, else what went wrong; the caller then sends nothing.
    func recordDispatch(_ action: ActionRecord, client: ClientInfo) -> String? {
        let decision = action.typedDecision
        let request = (try? JSONParser.parse(action.request)) ?? .object([:])
        let record = AuditRecord(
            at: clock.milliseconds(), session: session, clientName: client.name, clientVersion: client.version,
            tool: "control_resource", arguments: JSONSerializer.string(secrets.masker.mask(Redaction.redact(request))),
            resourceId: action.resourceId, outcome: "dispatched", controlClass: decision?.controlClass?.rawValue,
            route: decision?.route?.id, actionId: action.id, durationMicroseconds: 0
        )
        do {
            try stores.store().appendAudit(record)
            return nil
        } catch {
            return "the audit record of dispatching action \(action.id) could not be written (\(error)), so nothing was sent."
        }
    }
}
