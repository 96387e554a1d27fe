import JSON
import Policy

/// Reads the typed fields of one snapshot record, reporting every wrong one to the log.
///
/// Each reader returns nil after reporting, so a validator goes on to the next field and one pass
/// finds every error in the record. Nothing here formats text unless a field is wrong: the happy
/// path of a million records must stay cheap.
package struct SnapshotChecker {
    let location: SnapshotLocation
    let log: SnapshotErrorLog

    package init(location: SnapshotLocation, log: SnapshotErrorLog) {
        self.location = location
        self.log = log
    }

    /// Reports `rule` for `field` (nil: the record itself), showing `value` when there is one.
    func fail(_ field: String?, _ value: JSONValue?, _ rule: String, seedRule: SeedRule? = nil) {
        log.append(at: location, field, value: value, rule: rule, seedRule: seedRule)
    }

    // MARK: - Scalars

    /// A non-empty string.
    func text(_ value: JSONValue, _ field: String) -> String? {
        guard case .string(let text) = value, !text.isEmpty else {
            fail(field, value, "must be a non-empty string")
            return nil
        }
        return text
    }

    /// A string from a closed vocabulary.
    func word(_ value: JSONValue, _ field: String, oneOf words: [String]) -> String? {
        guard case .string(let text) = value, words.contains(text) else {
            fail(field, value, "must be one of \(SnapshotVocabulary.list(words))")
            return nil
        }
        return text
    }

    /// An RFC 3339 date-time.
    package func timestamp(_ value: JSONValue, _ field: String) -> Timestamp? {
        guard case .string(let text) = value, let timestamp = Timestamp(text) else {
            fail(field, value, "must be an RFC 3339 date-time such as 2026-11-28T10:00:00Z")
            return nil
        }
        return timestamp
    }

    /// `true` or `false`.
    func flag(_ value: JSONValue, _ field: String) -> Bool? {
        guard case .bool(let flag) = value else {
            fail(field, value, "must be true or false")
            return nil
        }
        return flag
    }

    /// A whole number ≥ 0: a byte count, a duration in seconds.
    func count(_ value: JSONValue, _ field: String) -> Int64? {
        guard let count = value.integerValue, count >= 0 else {
            fail(field, value, "must be an integer ≥ 0")
            return nil
        }
        return count
    }

    /// A finite number.
    func number(_ value: JSONValue, _ field: String) -> Double? {
        guard let number = value.doubleValue, number.isFinite else {
            fail(field, value, "must be a finite number")
            return nil
        }
        return number
    }

    /// A number from 0 to 1: a CPU share.
    func fraction(_ value: JSONValue, _ field: String) -> Double? {
        guard let number = value.doubleValue, (0...1).contains(number) else {
            fail(field, value, "must be a number from 0 to 1")
            return nil
        }
        return number
    }

    /// A control endpoint, `unix:/path` or `tcp:host:port`.
    func endpoint(_ value: JSONValue, _ field: String) -> String? {
        guard case .string(let text) = value, SnapshotVocabulary.isEndpoint(text) else {
            fail(field, value, "must be an endpoint unix:/absolute/path, tcp:host:port or pulse:AGENT_ID")
            return nil
        }
        return text
    }

    // MARK: - Shape

    /// Reports each required field that is absent; one that is present but wrong was reported already.
    func requireFields(_ fields: [(name: String, isMissing: Bool)], in object: JSONObject) {
        for field in fields where field.isMissing && !object.contains(field.name) {
            fail(field.name, nil, "is required")
        }
    }

    /// Reports a field the strict format does not have, or one that looks like a credential: by its
    /// name only, never its value (the file may not be a snapshot at all, and hold anything).
    func unknown(_ field: String, allowed: [String], in what: String) {
        if SnapshotVocabulary.looksSecret(field) {
            secret(field)
        } else {
            fail(field, nil, "unknown field; \(what) has \(SnapshotVocabulary.list(allowed))")
        }
    }

    /// Reports a value of the wrong shape by its kind (`a string`, `an array of 3 items`), not its content.
    func wrongShape(_ field: String?, _ value: JSONValue, _ rule: String) {
        log.append(at: location, field, shown: SnapshotError.kind(of: value), rule: rule)
    }

    /// Reports a secret-looking field, without its value.
    func secret(_ field: String) {
        fail(
            field, nil,
            "looks like a secret; a snapshot never carries secrets "
                + "(an endpoint's token comes from the environment or a file named in configuration)"
        )
    }

    /// Walks a free-form value (`details`) and reports every secret-looking key in it.
    ///
    /// The path of a key (`details.pulse.facets[2].apiKey`) is spelled out only for a key that is
    /// reported: a free-form value of a million resources has tens of millions of keys.
    func scanForSecrets(_ value: JSONValue, _ field: String) {
        var path: [PathStep] = []
        scan(value, field, &path)
    }

    private enum PathStep {
        case key(String)
        case index(Int)
    }

    private func scan(_ value: JSONValue, _ field: String, _ path: inout [PathStep]) {
        switch value {
        case .object(let object):
            for (key, element) in object {
                if SnapshotVocabulary.looksSecret(key) {
                    path.append(.key(key))
                    secret(Self.spell(field, path))
                    path.removeLast()
                } else if element.isContainer {
                    path.append(.key(key))
                    scan(element, field, &path)
                    path.removeLast()
                }
            }
        case .array(let elements):
            for (index, element) in elements.enumerated() where element.isContainer {
                path.append(.index(index))
                scan(element, field, &path)
                path.removeLast()
            }
        default:
            break
        }
    }

    private static func spell(_ field: String, _ path: [PathStep]) -> String {
        var text = field
        for step in path {
            switch step {
            case .key(let key): text += ".\(key)"
            case .index(let index): text += "[\(index)]"
            }
        }
        return text
    }
}

extension JSONValue {
    /// An object or an array: a value with keys or elements of its own.
    fileprivate var isContainer: Bool {
        switch self {
        case .object, .array: true
        default: false
        }
    }
}
