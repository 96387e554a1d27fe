import JSON
import Policy

/// One thing wrong with a snapshot: where, what was there, which rule it breaks.
///
/// ```
/// resources[12].type: platform proxmox-pbs does not project this type; it projects pbs, storage (value: "vm");
///     seed, Canonical Rules: "Platform work must project into canonical shared resources first. …"
/// line 45: resource.status: must be one of online, offline, warning, unknown (value: "up")
/// ```
/// A scalar value of a known field is shown as compact JSON, cut to ``maximumValueLength`` characters;
/// an object or an array only by its kind and size (`an object of 3 keys`), since its content may be
/// anything a file holds. A field the format does not know, or one that looks like a secret, never
/// shows its value: a snapshot path can name any file, and its rejection must not print the file.
package struct SnapshotError: Sendable, Hashable, CustomStringConvertible {
    /// `resources[12].platform` (JSON document) or `line 45: resource.platform` (JSON Lines).
    package var path: String
    /// The offending value as compact JSON, truncated; nil when there is none to show (a missing field).
    package var value: String?
    /// What is wrong, in words an operator can act on.
    package var rule: String
    /// The seed rule a projection or platform error breaks, cited in the seed's own words.
    package var seedRule: SeedRule?

    /// Longest value shown, in characters, before it is cut with `…`.
    package static let maximumValueLength = 60

    package init(path: String, value: String? = nil, rule: String, seedRule: SeedRule? = nil) {
        self.path = path
        self.value = value
        self.rule = rule
        self.seedRule = seedRule
    }

    init(at location: SnapshotLocation, _ field: String?, value: JSONValue?, rule: String, seedRule: SeedRule? = nil) {
        self.init(path: location.path(field), value: value.map(Self.show), rule: rule, seedRule: seedRule)
    }

    package var description: String {
        var text = "\(path): \(rule)"
        if let value { text += " (value: \(value))" }
        if let seedRule { text += "; \(seedRule.citation)" }
        return text
    }

    /// A scalar as compact JSON, cut at ``maximumValueLength`` characters; a container by its kind.
    static func show(_ value: JSONValue) -> String {
        switch value.plain {
        case .object, .array: return kind(of: value)
        default: break
        }
        let text = JSONSerializer.string(value)
        guard text.count > maximumValueLength else { return text }
        return String(text.prefix(maximumValueLength)) + "…"
    }

    /// What a value is, without any of its content: `a string`, `an array of 2 items`, `an object of 1 key`.
    static func kind(of value: JSONValue) -> String {
        switch value.plain {
        case .null: "null"
        case .bool: "a boolean"
        case .string: "a string"
        case .object(let object): "an object of \(object.count) \(object.count == 1 ? "key" : "keys")"
        case .array(let array): "an array of \(array.count) \(array.count == 1 ? "item" : "items")"
        default: "a number"
        }
    }
}
