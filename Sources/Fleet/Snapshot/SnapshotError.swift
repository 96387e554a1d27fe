import JSON
import Policy

/// One thing wrong with a snapshot: where, what was there, which rule it breaks.
///
/// ```
/// resources[12].type: platform proxmox-pbs does not project this type; it projects pbs, storage (value: "vm");
///     seed, Canonical Rules: "Platform work must project into canonical shared resources first. …"
/// line 45: resource.status: must be one of online, offline, warning, unknown (value: "up")
/// ```
/// The value is shown as compact JSON and cut to ``maximumValueLength`` characters, so that a
/// megabyte of `details` does not drown the report; a secret-looking field never shows its value.
public struct SnapshotError: Sendable, Hashable, CustomStringConvertible {
    /// `resources[12].platform` (JSON document) or `line 45: resource.platform` (JSON Lines).
    public var path: String
    /// The offending value as compact JSON, truncated; nil when there is none to show (a missing field).
    public var value: String?
    /// What is wrong, in words an operator can act on.
    public var rule: String
    /// The seed rule a projection or platform error breaks, cited in the seed's own words.
    public var seedRule: SeedRule?

    /// Longest value shown, in characters, before it is cut with `…`.
    public static let maximumValueLength = 60

    public init(path: String, value: String? = nil, rule: String, seedRule: SeedRule? = nil) {
        self.path = path
        self.value = value
        self.rule = rule
        self.seedRule = seedRule
    }

    init(at location: SnapshotLocation, _ field: String?, value: JSONValue?, rule: String, seedRule: SeedRule? = nil) {
        self.init(path: location.path(field), value: value.map(Self.show), rule: rule, seedRule: seedRule)
    }

    public var description: String {
        var text = "\(path): \(rule)"
        if let value { text += " (value: \(value))" }
        if let seedRule { text += "; \(seedRule.citation)" }
        return text
    }

    /// Compact JSON, cut at ``maximumValueLength`` characters.
    static func show(_ value: JSONValue) -> String {
        let text = JSONSerializer.string(value)
        guard text.count > maximumValueLength else { return text }
        return String(text.prefix(maximumValueLength)) + "…"
    }
}
