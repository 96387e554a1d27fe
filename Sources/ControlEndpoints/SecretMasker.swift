import JSON
import JSONRPC

/// Masks every known secret value in text that came from outside: an endpoint's error, result or
/// progress text, a caller's argument. Endpoint tokens are the secrets today; a Pulse client's API token
/// joins them the same way.
///
/// ```swift
/// let masker = SecretMasker(["s3cret"])
/// masker.mask("hello s3cret rejected")   // "hello [token] rejected"
/// ```
///
/// Matching is on UTF-8 bytes, so a secret is found wherever its bytes are, whatever surrounds it;
/// longer secrets are masked first, so one that contains another is masked whole. A secret an
/// outsider re-encodes (base64, reversed, split) is beyond any masker: the rule stays that a token is
/// sent in `hello` only.
package struct SecretMasker: Sendable, Equatable {
    /// What a secret is replaced by.
    package static let mask = "[token]"

    /// The secrets, longest first, without repeats or empty ones.
    package let secrets: [String]

    package static let none = SecretMasker([])

    package init(_ secrets: some Sequence<String>) {
        self.secrets = Set(secrets.filter { !$0.isEmpty }).sorted { ($0.utf8.count, $0) > ($1.utf8.count, $1) }
    }

    /// Whether `text` holds a secret.
    package func reveals(_ text: String) -> Bool {
        secrets.contains { text.utf8.firstRange(of: $0.utf8) != nil }
    }

    /// `text` with every occurrence of every secret replaced by ``mask``.
    package func mask(_ text: String) -> String {
        guard reveals(text) else { return text }
        var bytes = Array(text.utf8)
        for secret in secrets {
            let needle = Array(secret.utf8)
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            var index = 0
            while index < bytes.count {
                if bytes[index] == needle[0], bytes.count - index >= needle.count, bytes[index..<(index + needle.count)].elementsEqual(needle) {
                    out.append(contentsOf: Self.mask.utf8)
                    index += needle.count
                } else {
                    out.append(bytes[index])
                    index += 1
                }
            }
            bytes = out
        }
        // Whole UTF-8 sequences were replaced by ASCII, so the bytes are still UTF-8.
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `value` with every string, and every object key, masked.
    package func mask(_ value: JSONValue) -> JSONValue {
        guard !secrets.isEmpty else { return value }
        switch value {
        case .string(let text):
            return .string(mask(text))
        case .array(let items):
            return .array(items.map(mask))
        case .object(let object):
            return .object(JSONObject(object.map { key, field in (mask(key), mask(field)) }))
        case .serialized(let serialized):
            return mask(serialized.value)
        case .null, .bool, .integer, .double:
            return value
        }
    }
}
