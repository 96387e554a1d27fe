import JSON

/// Takes secrets out of tool arguments before they are recorded anywhere.
///
/// A value is replaced by `"[redacted]"` when its key names a secret (token, password, secret, api
/// key, authorization, credential, cookie, private key; any case, with or without `_` or `-`), or
/// when it is one whatever its key: a JSON Web Token. A `Bearer …` or `Basic …` credential inside any
/// string (a reason that quotes a header) has its credential replaced.
package enum Redaction {
    package static let mask: JSONValue = "[redacted]"

    /// Words that make a key a secret's, in any case; the `_`/`-` spellings are listed since keys are
    /// matched as they are (a byte scan, no copy: it runs on every key of every recorded call).
    static let secretKeys: [StaticString] = [
        "token", "password", "passwd", "secret", "apikey", "api_key", "api-key", "authorization", "credential", "cookie",
        "privatekey", "private_key", "private-key",
    ]

    package static func redact(_ value: JSONValue) -> JSONValue {
        masking(value, secretKeys: true)
    }

    /// A JSON-RPC message as a transcript keeps it: a `tools/call`'s arguments redacted like an audit
    /// record's, and a credential in any other string masked (`progressToken` and the like stay: their
    /// key names a token, their value is not one).
    package static func redactMessage(_ message: JSONValue) -> JSONValue {
        guard case .object(var object) = message else { return maskingStrings(message) }
        if object["method"] == "tools/call", case .object(var params)? = object["params"], let arguments = params["arguments"] {
            params["arguments"] = redact(arguments)
            object["params"] = .object(params)
        }
        return maskingStrings(.object(object))
    }

    /// Every string of `value` without a credential in it.
    package static func maskingStrings(_ value: JSONValue) -> JSONValue {
        masking(value, secretKeys: false)
    }

    /// `value` with every web token and credential in its strings masked, and with `secretKeys`, every
    /// value under a secret's key too.
    private static func masking(_ value: JSONValue, secretKeys: Bool) -> JSONValue {
        switch value {
        case .object(let object):
            .object(JSONObject(object.map { key, field in
                (key, secretKeys && isSecretKey(key) ? mask : masking(field, secretKeys: secretKeys))
            }))
        case .array(let items):
            .array(items.map { masking($0, secretKeys: secretKeys) })
        case .string(let text):
            isWebToken(text) ? mask : .string(maskingCredentials(in: text))
        case .serialized(let serialized):
            masking(serialized.value, secretKeys: secretKeys)
        default:
            value
        }
    }

    static func isSecretKey(_ key: String) -> Bool {
        secretKeys.contains { mentions($0, in: key) }
    }

    /// header.payload.signature, each base64url, the header starting `{"` (base64 `eyJ`).
    static func isWebToken(_ text: String) -> Bool {
        text.hasPrefix("eyJ") && text.split(separator: ".", omittingEmptySubsequences: false).count == 3
            && !text.contains(" ")
    }

    /// `Bearer abc.def…` → `Bearer [redacted]` and `Basic dXNlcjpwYXNz` → `Basic [redacted]`, anywhere in
    /// `text`. A credential is at least 8 (bearer) or 12 (basic, base64) characters, so that "bearer of
    /// bad news" and "basic maintenance" stay as they are.
    package static func maskingCredentials(in text: String) -> String {
        guard mentions("bearer", in: text) || mentions("basic", in: text) else { return text }
        return text
            .replacing(/(?i)\b(bearer)\s+[A-Za-z0-9._~+\/=-]{8,}/) { match in "\(match.output.1) [redacted]" }
            .replacing(/\b(Basic)\s+[A-Za-z0-9+\/]{12,}={0,2}/) { match in "\(match.output.1) [redacted]" }
    }

    /// Whether `text` contains the lowercase ASCII `word` in any case: a byte scan, since this runs on
    /// every string of every recorded call and most hold neither word.
    static func mentions(_ word: StaticString, in text: String) -> Bool {
        let needle = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.count >= needle.count else { return false }
            for start in 0...(bytes.count - needle.count) {
                var index = 0
                while index < needle.count {
                    let byte = bytes[start + index]
                    // ASCII letters fold to lowercase; every other byte matches only itself.
                    guard (byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) == needle[index] else { break }
                    index += 1
                }
                if index == needle.count { return true }
            }
            return false
        }
    }
}
