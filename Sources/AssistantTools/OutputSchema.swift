import JSON
import JSONRPC

/// The published form of an output schema: the shape of an answer, within the context budget.
///
/// Assistants pay for every byte of `tools/list`, and output schemas were two thirds of it. What a
/// client needs of one is the answer's shape, so the published form keeps:
///
/// ```
/// depth 0 (the answer)       every property and its type, required
/// depth 1 (a field, a row)   its type and the names of its required fields
/// depth 2 and below          the type only ("object", "array", "string", ...)
/// ```
///
/// and drops descriptions, enums and bounds (the tool's description and the input schema carry the
/// vocabulary; the answers themselves are self-describing). Typing every field of every row, in
/// every tool that shows one, cost more than the rest of `tools/list`. A `$defs` entry keeps every
/// property, as the answer does: get_topology unrolls its tree through them without recursion.
enum OutputSchema {
    static func compact(_ schema: JSONValue) -> JSONValue {
        compact(schema, depth: 0)
    }

    private static let dropped: Set<String> = ["description", "enum", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"]

    private static func compact(_ schema: JSONValue, depth: Int) -> JSONValue {
        guard case .object(let object) = schema.plain else { return schema }
        var result: [(String, JSONValue)] = []
        for (key, value) in object where !dropped.contains(key) {
            switch key {
            case "properties":
                // A row names its fields in `required`; only the answer itself types each of its own.
                guard depth == 0, let properties = value.objectValue else { continue }
                result.append((key, .object(JSONObject(properties.map { ($0.key, compact($0.value, depth: depth + 1)) }))))
            case "required":
                if depth < 2 { result.append((key, value)) }
            case "additionalProperties":
                // Open, so that an answer may gain a field without breaking a client that validates it.
                if depth < 2, value != false { result.append((key, value)) }
            case "$defs":
                let definitions = value.objectValue ?? JSONObject()
                result.append((key, .object(JSONObject(definitions.map { ($0.key, compact($0.value, depth: 0)) }))))
            case "items":
                result.append((key, compact(value, depth: depth)))
            case "anyOf", "allOf":
                result.append((key, .array((value.arrayValue ?? []).map { compact($0, depth: depth) })))
            default:
                result.append((key, value))
            }
        }
        return .object(JSONObject(result))
    }
}
