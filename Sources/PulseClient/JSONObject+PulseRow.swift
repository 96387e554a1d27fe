import JSON

/// Tolerant readers for Pulse's rows: a field of the wrong type reads as absent, never as an error,
/// because Pulse adds and changes fields freely (the mapping decides which absences matter).
extension JSONObject {
    /// A non-empty string; an integer (a `vmid`, a numeric name) reads as its decimal text.
    func text(_ key: String) -> String? {
        self[key].flatMap(Self.text)
    }

    /// `value` as non-empty text: a string, or an integer's decimal form.
    static func text(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): text.isEmpty ? nil : text
        case .integer(let number): String(number)
        case .serialized(let serialized): text(serialized.value)
        default: nil
        }
    }

    /// A nested object (a facet): present and an object, or nil.
    func object(_ key: String) -> JSONObject? {
        self[key]?.objectValue
    }

    /// The non-empty strings of an array field, in order; other elements are left out.
    func strings(_ key: String) -> [String] {
        guard let elements = self[key]?.arrayValue else { return [] }
        return elements.compactMap(Self.text)
    }

    /// A whole number; a double without a fraction counts.
    func integer(_ key: String) -> Int64? {
        self[key]?.integerValue
    }

    /// A number, integer or not.
    func number(_ key: String) -> Double? {
        self[key]?.doubleValue
    }
}
