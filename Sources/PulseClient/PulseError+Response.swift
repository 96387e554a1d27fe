import JSON

extension PulseError {
    /// The error for a non-success answer: the status, and what Pulse's body says about it.
    ///
    /// Pulse answers errors in three shapes: `{"error": code, "message": …, "details": {…}}` (agent
    /// and action routes), `{"error": "missing_scope", "requiredScope": s}` or `"requiredScopes": […]`
    /// (scope denial), and plain text from `http.Error` (older routes). Text from the body is cut to
    /// one line of ``maximumMessageLength`` characters and has the token redacted.
    static func response(status: Int, body: [UInt8], route: String, token: PulseToken?) -> PulseError {
        let said = ServerSaid(body: body, token: token)
        switch status {
        case 401:
            return .unauthorized(route: route)
        case 402:
            return .paymentRequired(route: route, message: said.message)
        case 403:
            return .forbidden(route: route, requiredScopes: said.requiredScopes, code: said.code, message: said.message)
        default:
            return .http(route: route, status: status, code: said.code, message: said.message)
        }
    }

    /// The longest server text kept in an error.
    static let maximumMessageLength = 200

    /// What an error body says, read tolerantly: any of the fields may be missing.
    private struct ServerSaid {
        var code: String?
        var message: String?
        var requiredScopes: [String] = []

        init(body: [UInt8], token: PulseToken?) {
            func clean(_ text: String?) -> String? {
                guard let text else { return nil }
                let redacted = token?.redacting(text) ?? text
                let line = redacted.split(whereSeparator: \.isNewline).joined(separator: " ")
                let trimmed = line.trimmingSpaces()
                guard !trimmed.isEmpty else { return nil }
                guard trimmed.count > PulseError.maximumMessageLength else { return trimmed }
                return String(trimmed.prefix(PulseError.maximumMessageLength)) + "…"
            }
            guard let value = try? JSONParser.parse(body), case .object(let object) = value.plain else {
                message = clean(String(decoding: body.prefix(4096), as: UTF8.self))
                return
            }
            code = clean(object["error"]?.stringValue)
            message = clean(object["message"]?.stringValue)
            if let scope = clean(object["requiredScope"]?.stringValue) {
                requiredScopes = [scope]
            } else if let scopes = object["requiredScopes"]?.arrayValue {
                requiredScopes = scopes.compactMap { clean($0.stringValue) }
            }
        }
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
