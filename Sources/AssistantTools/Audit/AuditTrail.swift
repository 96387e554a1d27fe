import AuditLog
import ControlEndpoints
import Foundation
import JSON
import JSONRPC
import Logging
import ResourceStore

/// Which tool calls are recorded: `all` (the default), or only `control` tools.
package enum AuditScope: String, Sendable, CaseIterable {
    case all
    case control
}

/// Appends one audit record per `tools/call` to the store's chain, before the response is written.
///
/// The record says who called (session, client), what (tool, redacted arguments, resource), what came
/// of it (outcome, control class, route, reason code, action id) and how long it took. It is the
/// operators' record: no tool reads or writes it.
package struct AuditTrail: Sendable {
    package let scope: AuditScope
    /// This server process's session id.
    package let session: String
    let stores: StoreProvider
    let clock: ServerClock
    /// Masked in the recorded arguments: a token a caller pastes into a `reason` or a `text` stays out.
    let secrets: KnownSecrets

    /// The tools `--audit control` records.
    static let controlTools: Set<String> = ["control_resource"]

    package init(stores: StoreProvider, scope: AuditScope, session: String, clock: ServerClock, secrets: KnownSecrets = KnownSecrets()) {
        self.stores = stores
        self.scope = scope
        self.session = session
        self.clock = clock
        self.secrets = secrets
    }

    /// A new session id: `ses-` and 16 random hex digits.
    package static func newSession() -> String {
        var generator = SystemRandomNumberGenerator()
        let hex = String(generator.next() as UInt64, radix: 16)
        return "ses-" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Whether a call of `tool` is recorded under this scope.
    func records(_ tool: String) -> Bool {
        scope == .all || Self.controlTools.contains(tool)
    }

    /// Records one finished call; `outcome` is what the tool reported beside its result (``ToolOutcome``).
    ///
    /// - Throws: `-32603` when the record cannot be committed: the caller then answers with that error,
    ///   saying what ran, rather than a result nobody can account for.
    package func record(
        tool: String, arguments: JSONValue?, client: ClientInfo, answer: Result<JSONValue, JSONRPCError>,
        outcome: ToolOutcome? = nil, duration: Duration
    ) throws(JSONRPCError) {
        guard records(tool) else { return }
        let masker = secrets.masker
        var record = AuditRecord(
            at: clock.milliseconds(), session: session, clientName: client.name, clientVersion: client.version, tool: tool,
            arguments: AuditArguments.text(arguments, masker: masker),
            resourceId: AuditArguments.resourceId(arguments, masker: masker),
            outcome: "ok", durationMicroseconds: duration.microseconds
        )
        Self.describe(answer, outcome: outcome, into: &record)
        do {
            try stores.store().appendAudit(record)
        } catch {
            let ran = record.actionId.map { " The call ran: action \($0) is in the store." } ?? ""
            throw .internalError("the audit record for \(tool) could not be written: \(error).\(ran)")
        }
    }

    /// The outcome, class, route, code and action id of an answer: the tool's typed ``ToolOutcome`` when
    /// it reported one; else only whether the answer is an error. The result itself is never read back.
    static func describe(_ answer: Result<JSONValue, JSONRPCError>, outcome: ToolOutcome?, into record: inout AuditRecord) {
        let result: JSONValue
        switch answer {
        case .failure(let error):
            record.outcome = "error"
            record.code = String(error.code)
            return
        case .success(let value):
            result = value
        }
        guard let outcome else {
            let isError = result["isError"] == true
            record.outcome = isError ? "error" : "ok"
            record.code = isError ? "tool_error" : nil
            return
        }
        record.outcome = outcome.kind.rawValue
        record.controlClass = outcome.controlClass?.rawValue
        record.route = outcome.route
        record.actionId = outcome.actionId
        record.code = outcome.code
        record.pulse = outcome.pulse
    }
}

extension Duration {
    var microseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }
}
