import JSON

/// A JSON-RPC request id: a string or an integer.
///
/// `null`, booleans, objects, arrays and fractional numbers are not ids; the
/// only message that carries a `null` id is the error answer to a line whose
/// id could not be read.
package enum RequestID: Sendable, Hashable, CustomStringConvertible {
    case string(String)
    case integer(Int64)

    /// Reads an id from its JSON form, or nil if the value is not a valid id.
    package init?(_ value: JSONValue) {
        switch value {
        case .string(let string): self = .string(string)
        case .integer(let integer): self = .integer(integer)
        default: return nil
        }
    }

    package var jsonValue: JSONValue {
        switch self {
        case .string(let string): .string(string)
        case .integer(let integer): .integer(integer)
        }
    }

    package var description: String {
        switch self {
        case .string(let string): "\"\(string)\""
        case .integer(let integer): String(integer)
        }
    }
}
