import ControlEndpoints
import JSON

/// What an audit record keeps of a call's arguments: all of them, redacted, when they are of a
/// sensible size; a bounded cut when not.
///
/// A hostile or broken caller can send megabytes of arguments (a million array items, a 1 MiB id);
/// the schema refuses the call, but the audit records every call, so what it keeps is bounded too:
/// at most ``maxItems`` items of an array and ``maxKeys`` keys of an object (the rest counted in a
/// marker), strings cut at ``maxCharacters``, ``maxDepth`` levels, and at most ``maxBytes`` in all.
/// Secrets are redacted, and known tokens masked, before anything is cut, so that a cut can never
/// leave a recognisable secret unrecognised.
enum AuditArguments {
    static let maxItems = 32
    static let maxKeys = 64
    static let maxDepth = 8
    static let maxCharacters = 512
    static let maxBytes = 16_384

    /// The arguments as the audit record's JSON text.
    static func text(_ arguments: JSONValue?, masker: SecretMasker) -> String {
        let redacted = masker.mask(Redaction.redact(shaped(arguments ?? .object([:]), depth: 0)))
        let text = JSONSerializer.string(cut(redacted))
        guard text.utf8.count > maxBytes else { return text }
        return JSONSerializer.string(["…": .string("arguments of \(text.utf8.count) bytes after cutting, not kept")])
    }

    /// The id a record names: the `resourceId` (or `id`) argument, cut like any string.
    static func resourceId(_ arguments: JSONValue?, masker: SecretMasker) -> String? {
        (arguments?["resourceId"]?.stringValue ?? arguments?["id"]?.stringValue).map { cut(masker.mask($0)) }
    }

    /// `value` with its arrays and objects cut to size; strings and keys are left whole for redaction.
    private static func shaped(_ value: JSONValue, depth: Int) -> JSONValue {
        switch value.plain {
        case .array(let items):
            guard depth < maxDepth else { return .string("[an array of \(items.count) items, nested too deep]") }
            var kept = items.prefix(maxItems).map { shaped($0, depth: depth + 1) }
            if items.count > maxItems { kept.append(.string("… and \(items.count - maxItems) more items")) }
            return .array(kept)
        case .object(let object):
            guard depth < maxDepth else { return .string("[an object of \(object.count) keys, nested too deep]") }
            var kept = object.prefix(maxKeys).map { ($0.key, shaped($0.value, depth: depth + 1)) }
            if object.count > maxKeys { kept.append(("…", .string("and \(object.count - maxKeys) more keys"))) }
            return .object(JSONObject(kept))
        case let plain:
            return plain
        }
    }

    /// `value` with every string and key cut to ``maxCharacters``.
    private static func cut(_ value: JSONValue) -> JSONValue {
        switch value.plain {
        case .string(let text): .string(cut(text))
        case .array(let items): .array(items.map(cut))
        case .object(let object): .object(JSONObject(object.map { (cut($0.key), cut($0.value)) }))
        case let plain: plain
        }
    }

    private static func cut(_ text: String) -> String {
        guard text.utf8.count > maxCharacters, text.count > maxCharacters else { return text }
        return String(text.prefix(maxCharacters)) + "… (\(text.count) characters)"
    }
}
