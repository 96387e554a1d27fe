/// A JSON value as it travels on the wire.
///
/// Integers and floating-point numbers are kept apart so that a request id of
/// `1` stays `1` on the way back (`1.0` is a different id), and an argument
/// of `2.5` where an integer is expected can be reported instead of silently
/// truncated. Objects keep their keys in insertion order, so that what the
/// server writes is deterministic and reads the way it was built.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case integer(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
}

// MARK: - Accessors

extension JSONValue {
    /// The JSON type name used in error messages and schema checks.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .integer: "integer"
        case .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    public var stringValue: String? {
        if case .string(let value) = self { value } else { nil }
    }

    public var boolValue: Bool? {
        if case .bool(let value) = self { value } else { nil }
    }

    /// The value as an integer; a double with no fractional part counts.
    public var integerValue: Int64? {
        switch self {
        case .integer(let value): value
        case .double(let value) where value.rounded() == value && abs(value) < 9.0e15: Int64(value)
        default: nil
        }
    }

    /// The value as a number, integer or not.
    public var doubleValue: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .double(let value): value
        default: nil
        }
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { value } else { nil }
    }

    public var objectValue: JSONObject? {
        if case .object(let value) = self { value } else { nil }
    }

    public var isNull: Bool {
        if case .null = self { true } else { false }
    }

    /// Looks up a key when the value is an object.
    public subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }
}

// MARK: - Numeric equality

extension JSONValue {
    /// Equality as JSON numbers compare: `1` and `1.0` are the same value.
    ///
    /// `==` is structural (it distinguishes `.integer(1)` from `.double(1)`),
    /// which is what ids need; comparing documents (replay, golden files)
    /// wants this looser equality.
    public func isEquivalent(to other: JSONValue) -> Bool {
        switch (self, other) {
        case (.integer, .double), (.double, .integer):
            return doubleValue == other.doubleValue
        case (.array(let lhs), .array(let rhs)):
            return lhs.count == rhs.count && zip(lhs, rhs).allSatisfy { $0.isEquivalent(to: $1) }
        case (.object(let lhs), .object(let rhs)):
            guard lhs.count == rhs.count else { return false }
            return lhs.allSatisfy { key, value in rhs[key].map { value.isEquivalent(to: $0) } ?? false }
        default:
            return self == other
        }
    }
}

// MARK: - Literals

extension JSONValue: ExpressibleByNilLiteral {
    public init(nilLiteral: ()) { self = .null }
}

extension JSONValue: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension JSONValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int64) { self = .integer(value) }
}

extension JSONValue: ExpressibleByFloatLiteral {
    public init(floatLiteral value: Double) { self = .double(value) }
}

extension JSONValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}

extension JSONValue: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
}

extension JSONValue: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(elements))
    }
}

// MARK: - Conversions

extension JSONValue {
    /// A string, or `null` when absent.
    public init(_ value: String?) {
        self = value.map(JSONValue.string) ?? .null
    }

    public init(_ value: Int) {
        self = .integer(Int64(value))
    }

    /// An array of strings.
    public init(_ values: [String]) {
        self = .array(values.map(JSONValue.string))
    }
}

extension JSONValue: CustomStringConvertible {
    /// The compact JSON text of the value.
    public var description: String {
        JSONSerializer.string(self)
    }
}
