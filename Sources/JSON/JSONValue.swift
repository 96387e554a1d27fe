/// A JSON value as it travels on the wire.
///
/// Integers and floating-point numbers are kept apart so that a request id of
/// `1` stays `1` on the way back (`1.0` is a different id), and an argument
/// of `2.5` where an integer is expected can be reported instead of silently
/// truncated. Objects keep their keys in insertion order, so that what the
/// server writes is deterministic and reads the way it was built.
///
/// A ``serialized(_:)`` node is a value whose text was written once already
/// (``SerializedJSON``): it reads, compares and hashes as the value it stands
/// for, and the serializer copies its bytes. Code that switches over a value
/// it did not build itself looks through it with ``plain``.
package enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case integer(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
    indirect case serialized(SerializedJSON)
}

// MARK: - Accessors

extension JSONValue {
    /// The JSON type name used in error messages and schema checks.
    package var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .integer: "integer"
        case .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        case .serialized(let serialized): serialized.value.typeName
        }
    }

    /// The value itself, or the one a ``serialized(_:)`` node stands for: never `.serialized`.
    package var plain: JSONValue {
        if case .serialized(let serialized) = self { serialized.value } else { self }
    }

    package var stringValue: String? {
        switch self {
        case .string(let value): value
        case .serialized(let serialized): serialized.value.stringValue
        default: nil
        }
    }

    package var boolValue: Bool? {
        switch self {
        case .bool(let value): value
        case .serialized(let serialized): serialized.value.boolValue
        default: nil
        }
    }

    /// The value as an integer; a double with no fractional part counts.
    package var integerValue: Int64? {
        switch self {
        case .integer(let value): value
        case .double(let value) where value.rounded() == value && abs(value) < 9.0e15: Int64(value)
        case .serialized(let serialized): serialized.value.integerValue
        default: nil
        }
    }

    /// The value as a number, integer or not.
    package var doubleValue: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .double(let value): value
        case .serialized(let serialized): serialized.value.doubleValue
        default: nil
        }
    }

    package var arrayValue: [JSONValue]? {
        switch self {
        case .array(let value): value
        case .serialized(let serialized): serialized.value.arrayValue
        default: nil
        }
    }

    package var objectValue: JSONObject? {
        switch self {
        case .object(let value): value
        case .serialized(let serialized): serialized.value.objectValue
        default: nil
        }
    }

    package var isNull: Bool {
        if case .null = plain { true } else { false }
    }

    /// Looks up a key when the value is an object.
    package subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }
}

// MARK: - Equality

extension JSONValue: Hashable {
    /// Structural equality; a ``serialized(_:)`` node equals the value it stands for.
    package static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let left), .bool(let right)): left == right
        case (.integer(let left), .integer(let right)): left == right
        case (.double(let left), .double(let right)): left == right
        case (.string(let left), .string(let right)): left == right
        case (.array(let left), .array(let right)): left == right
        case (.object(let left), .object(let right)): left == right
        case (.serialized(let left), _): left.value == rhs
        case (_, .serialized(let right)): lhs == right.value
        default: false
        }
    }

    package func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let value): hasher.combine(1); hasher.combine(value)
        case .integer(let value): hasher.combine(2); hasher.combine(value)
        case .double(let value): hasher.combine(3); hasher.combine(value)
        case .string(let value): hasher.combine(4); hasher.combine(value)
        case .array(let value): hasher.combine(5); hasher.combine(value)
        case .object(let value): hasher.combine(6); hasher.combine(value)
        case .serialized(let serialized): serialized.value.hash(into: &hasher)
        }
    }
}

// MARK: - Numeric equality

extension JSONValue {
    /// Equality as JSON numbers compare: `1` and `1.0` are the same value.
    ///
    /// `==` is structural (it distinguishes `.integer(1)` from `.double(1)`),
    /// which is what ids need; comparing documents (replay, golden files)
    /// wants this looser equality.
    package func isEquivalent(to other: JSONValue) -> Bool {
        switch (plain, other.plain) {
        case (.integer, .double), (.double, .integer):
            return doubleValue == other.doubleValue
        case (.array(let lhs), .array(let rhs)):
            return lhs.count == rhs.count && zip(lhs, rhs).allSatisfy { $0.isEquivalent(to: $1) }
        case (.object(let lhs), .object(let rhs)):
            guard lhs.count == rhs.count else { return false }
            return lhs.allSatisfy { key, value in rhs[key].map { value.isEquivalent(to: $0) } ?? false }
        default:
            return plain == other.plain
        }
    }
}

// MARK: - Literals

extension JSONValue: ExpressibleByNilLiteral {
    package init(nilLiteral: ()) { self = .null }
}

extension JSONValue: ExpressibleByBooleanLiteral {
    package init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension JSONValue: ExpressibleByIntegerLiteral {
    package init(integerLiteral value: Int64) { self = .integer(value) }
}

extension JSONValue: ExpressibleByFloatLiteral {
    package init(floatLiteral value: Double) { self = .double(value) }
}

extension JSONValue: ExpressibleByStringLiteral {
    package init(stringLiteral value: String) { self = .string(value) }
}

extension JSONValue: ExpressibleByArrayLiteral {
    package init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
}

extension JSONValue: ExpressibleByDictionaryLiteral {
    package init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(elements))
    }
}

// MARK: - Conversions

extension JSONValue {
    /// A string, or `null` when absent.
    package init(_ value: String?) {
        self = value.map(JSONValue.string) ?? .null
    }

    package init(_ value: Int) {
        self = .integer(Int64(value))
    }

    /// An array of strings.
    package init(_ values: [String]) {
        self = .array(values.map(JSONValue.string))
    }
}

extension JSONValue: CustomStringConvertible {
    /// The compact JSON text of the value.
    package var description: String {
        JSONSerializer.string(self)
    }
}
