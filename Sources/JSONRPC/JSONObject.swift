/// A JSON object that keeps its keys in insertion order.
///
/// Lookup is by dictionary; iteration follows `keys`. Setting an existing key
/// replaces its value in place. The parser rejects duplicate keys, so a
/// parsed object never hides one value behind another.
public struct JSONObject: Sendable, Hashable {
    public private(set) var keys: [String] = []
    private var values: [String: JSONValue] = [:]

    public init() {}

    public init(_ pairs: some Sequence<(String, JSONValue)>) {
        for (key, value) in pairs {
            self[key] = value
        }
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    public subscript(key: String) -> JSONValue? {
        get { values[key] }
        set {
            if let newValue {
                if values.updateValue(newValue, forKey: key) == nil {
                    keys.append(key)
                }
            } else if values.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    public func contains(_ key: String) -> Bool {
        values[key] != nil
    }

    /// Sets `key` unless `value` is nil: for optional fields that are left out rather than `null`.
    public mutating func setIfPresent(_ key: String, _ value: JSONValue?) {
        if let value { self[key] = value }
    }

    /// Equality ignores key order: two objects are the same JSON value when
    /// they hold the same keys with the same values.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.values == rhs.values
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(values)
    }
}

extension JSONObject: Sequence {
    public func makeIterator() -> some IteratorProtocol<(key: String, value: JSONValue)> {
        var index = keys.startIndex
        return AnyIterator { [keys, values] in
            guard index < keys.endIndex else { return nil }
            let key = keys[index]
            index += 1
            return values[key].map { (key: key, value: $0) }
        }
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }
}
