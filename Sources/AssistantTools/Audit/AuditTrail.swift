import Foundation
import JSONRPC
import Logging
import ResourceStore

/// Which tool calls are recorded: `all` (the default), or only `control` tools.
public enum AuditScope: String, Sendable, CaseIterable {
    case all
    case control
}

/// Appends one audit record per `tools/call` to the store's chain, before the response is written.
///
/// The record says who called (session, client), what (tool, redacted arguments, resource), what came
/// of it (outcome, control class, route, reason code, action id) and how long it took. It is the
/// operators' record: no tool reads or writes it.
public struct AuditTrail: Sendable {
    public let scope: AuditScope
    /// This server process's session id.
    public let session: String
    private let stores: StoreProvider
    private let clock: ServerClock

    /// The tools `--audit control` records.
    static let controlTools: Set<String> = ["control_resource"]

    public init(stores: StoreProvider, scope: AuditScope, session: String, clock: ServerClock) {
        self.stores = stores
        self.scope = scope
        self.session = session
        self.clock = clock
    }

    /// A new session id: `ses-` and 16 random hex digits.
    public static func newSession() -> String {
        var generator = SystemRandomNumberGenerator()
        let hex = String(generator.next() as UInt64, radix: 16)
        return "ses-" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Whether a call of `tool` is recorded under this scope.
    func records(_ tool: String) -> Bool {
        scope == .all || Self.controlTools.contains(tool)
    }

    /// Records one finished call.
    ///
    /// - Throws: `-32603` when the record cannot be committed: the caller then answers with that error,
    ///   saying what ran, rather than a result nobody can account for.
    public func record(
        tool: String, arguments: JSONValue?, client: ClientInfo, answer: Result<JSONValue, JSONRPCError>, duration: Duration
    ) throws(JSONRPCError) {
        guard records(tool) else { return }
        var record = AuditRecord(
            at: clock.milliseconds(), session: session, clientName: client.name, clientVersion: client.version, tool: tool,
            arguments: AuditArguments.text(arguments),
            resourceId: AuditArguments.resourceId(arguments),
            outcome: "ok", durationMicroseconds: duration.microseconds
        )
        Self.describe(answer, tool: tool, into: &record)
        do {
            try stores.store().appendAudit(record)
        } catch {
            let ran = record.actionId.map { " The call ran: action \($0) is in the store." } ?? ""
            throw .internalError("the audit record for \(tool) could not be written: \(error).\(ran)")
        }
    }

    /// The outcome, class, route, code and action id of an answer.
    static func describe(_ answer: Result<JSONValue, JSONRPCError>, tool: String, into record: inout AuditRecord) {
        let result: JSONValue
        switch answer {
        case .failure(let error):
            record.outcome = "error"
            record.code = String(error.code)
            return
        case .success(let value):
            result = value
        }
        let isError = result["isError"] == true
        // Only a control call's result is read further: any other tool's, however large, is never re-parsed.
        guard tool == "control_resource", let action = result["structuredContent"] ?? Self.textJSON(result), action["decision"] != nil else {
            record.outcome = isError ? "error" : "ok"
            record.code = isError ? "tool_error" : nil
            return
        }
        let decision = action["decision"]
        record.controlClass = decision?["controlClass"]?.stringValue
        record.route = decision?["route"]?["id"]?.stringValue
        record.actionId = action["actionId"]?.stringValue
        record.code = action["code"]?.stringValue
        switch action["state"]?.stringValue {
        case "refused": record.outcome = "refused"
        case "failed", "unknown": record.outcome = "failed"
        case "completed", "dispatched", "planned":
            record.outcome = decision?["outcome"]?.stringValue == "route" ? "routed" : "executed"
        default: record.outcome = "ok"
        }
    }

    /// Before 2025-06-18 a result has no `structuredContent`: the text block carries the same JSON.
    private static func textJSON(_ result: JSONValue) -> JSONValue? {
        guard let text = result["content"]?.arrayValue?.first?["text"]?.stringValue, text.hasPrefix("{") else { return nil }
        return try? JSONParser.parse(text)
    }
}

extension Duration {
    var microseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }
}
