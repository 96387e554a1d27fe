import JSON
import JSONRPC

/// Reads what agent frameworks send for "not given" as absence, before the arguments are validated.
///
/// Frameworks fill in the arguments a model left out: mcp-use sends `null` for each, and a model
/// under a strict schema (OpenAI's strict mode, openai-agents) must send every property, so it sends
/// `null`, `""` or `[]`. None of these can mean anything else for our tools, so each top-level
/// argument is read by the type its property declares:
///
/// ```
/// sent         declared                read as
/// null         any                     absent ("is required" if it was required)
/// ""           a string                absent
/// []           an array                absent: no filter
/// [a, b, a]    an array (≤ maxItems)   [a, b]: a repeated item is dropped, the first kept
/// ```
///
/// Anything else is left as sent, for the validator to check: a wrong type is reported, never
/// replaced. Unknown keys are left too, so the validator names them. An array longer than its
/// `maxItems` is not looked into: the validator refuses it by its length alone.
enum ArgumentNormalizer {
    /// `arguments` with the "not given" values of `schema`'s properties taken out.
    static func normalize(_ arguments: JSONObject, schema: JSONValue) -> JSONObject {
        guard let properties = schema["properties"]?.objectValue else { return arguments }
        // The usual call has nothing to change: it is returned as it came, without a copy.
        guard arguments.contains(where: { normalized($0.value, properties[$0.key]) != .unchanged }) else { return arguments }
        var result: [(String, JSONValue)] = []
        result.reserveCapacity(arguments.count)
        for (key, value) in arguments {
            switch normalized(value, properties[key]) {
            case .unchanged: result.append((key, value))
            case .absent: continue
            case .replaced(let replacement): result.append((key, replacement))
            }
        }
        return JSONObject(result)
    }

    private enum Outcome: Equatable {
        case unchanged
        case absent
        case replaced(JSONValue)
    }

    private static func normalized(_ value: JSONValue, _ property: JSONValue?) -> Outcome {
        guard let property else { return .unchanged }
        switch value.plain {
        case .null:
            return .absent
        case .string(let text) where text.isEmpty && declares(property, "string"):
            return .absent
        case .array(let items) where declares(property, "array"):
            if items.isEmpty { return .absent }
            if let maximum = property["maxItems"]?.integerValue, items.count > maximum { return .unchanged }
            var seen = Set<JSONValue>()
            let distinct = items.filter { seen.insert($0).inserted }
            return distinct.count == items.count ? .unchanged : .replaced(.array(distinct))
        default:
            return .unchanged
        }
    }

    /// Whether `property` declares `type`, alone or among others.
    private static func declares(_ property: JSONValue, _ type: String) -> Bool {
        switch property["type"] {
        case .string(let name)?: name == type
        case .array(let names)?: names.contains(.string(type))
        default: false
        }
    }
}
