import JSON
import JSONRPC
import Policy

/// A human's approval of one dispatch, asked through MCP elicitation (form mode) under the
/// `controlled` level.
enum Approval {
    enum Outcome: Sendable, Equatable {
        case granted
        /// The human said no, dismissed the form, or did not answer in time.
        case declined(String)
        /// The client cannot ask a human: no elicitation, or not in form mode.
        case unavailable(String)
    }

    /// The form's one field.
    static let field = "approve"

    /// Whether the client can show an approval form, and why not when it cannot.
    static func availability(_ context: ToolContext) -> String? {
        if context.isModern {
            // 2026-07-28 asks through the result (the server checked the capability: -32021 otherwise).
            return context.approvalRound == nil && context.task == nil ? "protocol version 2026-07-28 sends no requests to the client" : nil
        }
        guard context.protocolVersion.hasStructuredContent else {
            return "protocol version \(context.protocolVersion.rawValue) has no elicitation (it arrived in 2025-06-18)"
        }
        guard case .object(let elicitation)? = context.client.capabilities["elicitation"] else {
            return "the client '\(context.client.name)' did not declare the elicitation capability"
        }
        // 2025-11-25: an empty object means form mode; a client may declare url mode alone.
        if !elicitation.isEmpty, elicitation["form"] == nil {
            return "the client '\(context.client.name)' declared elicitation without form mode"
        }
        return nil
    }

    /// The longest part of the assistant's reason shown, in Unicode scalars (a character can be any
    /// number of them).
    static let reasonLimit = 500

    /// The text the human reads before approving: the server's own lines, then the assistant's reason
    /// as one quoted, labelled value. Used by every era's approval request.
    ///
    /// ```
    /// The assistant asks to stop vm/pve-a/101.
    /// Stop vm 'web-01' (vm/pve-a/101) on Proxmox VE (…): routed to the augmenting Pulse agent …
    /// Route: agent 'pulse-agent/pve-a' at unix:/run/pve-a.sock.
    /// Reason given by the assistant (its words, not the server's): "maintenance window"
    /// Approve sending this action?
    /// ```
    ///
    /// Nothing from outside can start a line: the reason is escaped like a JSON string (`\n`, `\"`,
    /// `\u{…}` for control, format and separator characters, so no newline, quote, bidi override or
    /// zero-width character survives) and stays inside its quotes; the store's names and addresses in
    /// the server's lines are escaped the same way, without quotes.
    ///
    /// On the `pulse` route, `plan` adds what Pulse planned (its action id, the intended change, the
    /// blast radius, the expiry), escaped the same way.
    static func message(
        action: String, resourceId: String, summary: String, route: ControlDecision.Route, reason: String, plan: [String] = []
    ) -> String {
        let scalars = reason.unicodeScalars
        let cut = scalars.count > reasonLimit
        let shown = cut ? String(String.UnicodeScalarView(scalars.prefix(reasonLimit))) + "…" : reason
        let more = cut ? " (its first \(reasonLimit) of \(scalars.count) characters)" : ""
        let via = route.via.map { ", through its agent '\(escaped($0))'" } ?? ""
        let lines = [
            "The assistant asks to \(escaped(action)) \(escaped(resourceId)).",
            escaped(summary),
            "Route: \(route.kind.rawValue) '\(escaped(route.id))' at \(escaped(route.endpoint))\(via).",
        ] + plan.map { escaped($0) } + [
            "Reason given by the assistant (its words, not the server's)\(more): \"\(escaped(shown, quotes: true))\"",
            "Approve sending this action?",
        ]
        return lines.joined(separator: "\n")
    }

    /// `text` on one line: line breaks, control, format (bidi, zero-width) and separator characters as
    /// escapes, and with `quotes`, `"` and `\` escaped so the text cannot close its quotes.
    static func escaped(_ text: String, quotes: Bool = false) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\"" where quotes: out += "\\\""
            case "\\" where quotes: out += "\\\\"
            default:
                switch scalar.properties.generalCategory {
                case .control, .format, .lineSeparator, .paragraphSeparator, .privateUse, .unassigned:
                    out += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
                default:
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// The `elicitation/create` parameters: what the human sees.
    static func request(message: String, version: ProtocolVersion) -> JSONValue {
        var params: JSONObject = [:]
        if version >= .v2025_11_25 {
            params["mode"] = "form"
        }
        params["message"] = .string(message)
        params["requestedSchema"] = [
            "type": "object",
            "properties": [
                "approve": [
                    "type": "boolean",
                    "title": "Approve this action",
                    "description": "Yes sends the action to the endpoint named above; no refuses it.",
                    "default": false,
                ],
            ],
            "required": ["approve"],
        ]
        return .object(params)
    }

    /// Asks the human, waiting at most `timeout` seconds.
    static func ask(_ message: String, context: ToolContext, timeout: Double) async -> Outcome {
        if let missing = availability(context) {
            return .unavailable(missing)
        }
        if let task = context.task {
            // The tasks extension: the task shows the form as input_required; tasks/update answers it.
            return await task.approve(message, timeout: timeout)
        }
        if let round = context.approvalRound {
            return round.answer ?? .declined("no answer to the approval request")
        }
        let params = request(message: message, version: context.protocolVersion)
        let peer = context.peer
        let answer: Result<JSONValue, JSONRPCError>? = await withTaskGroup(of: Result<JSONValue, JSONRPCError>?.self) { group in
            group.addTask {
                do throws(JSONRPCError) {
                    return .success(try await peer.request("elicitation/create", params: params))
                } catch {
                    return .failure(error)
                }
            }
            group.addTask {
                try? await Task.sleep(for: .milliseconds(Int64(timeout * 1000)))
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        switch answer {
        case nil:
            return .declined("no answer to the approval request within \(Int(timeout)) s")
        case .failure(let error)?:
            return .declined("the approval request failed: \(error.message)")
        case .success(let result)?:
            return judge(result)
        }
    }

    /// Reads an `ElicitResult`: only `accept` with `approve: true` grants.
    static func judge(_ result: JSONValue) -> Outcome {
        switch result["action"]?.stringValue {
        case "accept":
            guard result["content"]?[field]?.boolValue == true else {
                return .declined("the human answered the approval form without approving")
            }
            return .granted
        case "decline":
            return .declined("the human declined")
        case "cancel":
            return .declined("the human dismissed the approval request")
        default:
            return .declined("the client's answer to the approval request was not an elicitation result")
        }
    }
}
