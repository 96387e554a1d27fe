import JSONRPC

/// Takes secrets out of tool arguments before they are recorded anywhere.
///
/// A value is replaced by `"[redacted]"` when its key names a secret (token, password, secret, api
/// key, authorization, credential, cookie, private key; any case, with or without `_` or `-`), or
/// when it is one whatever its key: a JSON Web Token. A `Bearer …` or `Basic …` credential inside any
/// string (a reason that quotes a header) has its credential replaced.
public enum Redaction {
    public static let mask: JSONValue = "[redacted]"

    static let secretKeys = ["token", "password", "passwd", "secret", "apikey", "authorization", "credential", "cookie", "privatekey"]

    public static func redact(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            return .object(JSONObject(object.keys.map { key in
                let field = object[key] ?? .null
                return (key, isSecretKey(key) ? mask : redact(field))
            }))
        case .array(let items):
            return .array(items.map(redact))
        case .string(let text):
            return isWebToken(text) ? mask : .string(maskingCredentials(in: text))
        default:
            return value
        }
    }

    static func isSecretKey(_ key: String) -> Bool {
        let folded = key.lowercased().filter { $0 != "_" && $0 != "-" }
        return secretKeys.contains { folded.contains($0) }
    }

    /// header.payload.signature, each base64url, the header starting `{"` (base64 `eyJ`).
    static func isWebToken(_ text: String) -> Bool {
        text.hasPrefix("eyJ") && text.split(separator: ".", omittingEmptySubsequences: false).count == 3
            && !text.contains(" ")
    }

    /// `Bearer abc.def…` → `Bearer [redacted]` and `Basic dXNlcjpwYXNz` → `Basic [redacted]`, anywhere in
    /// `text`. A credential is at least 8 (bearer) or 12 (basic, base64) characters, so that "bearer of
    /// bad news" and "basic maintenance" stay as they are.
    static func maskingCredentials(in text: String) -> String {
        let lowered = text.lowercased()
        guard lowered.contains("bearer") || lowered.contains("basic") else { return text }
        return text
            .replacing(/(?i)\b(bearer)\s+[A-Za-z0-9._~+\/=-]{8,}/) { match in "\(match.output.1) [redacted]" }
            .replacing(/\b(Basic)\s+[A-Za-z0-9+\/]{12,}={0,2}/) { match in "\(match.output.1) [redacted]" }
    }
}
