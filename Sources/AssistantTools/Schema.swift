import JSON

/// Small builders for the JSON Schemas of tool contracts, so that a schema
/// reads like the shape it describes.
enum Schema {
    /// A closed object: only the listed properties, `required` among them.
    static func object(_ properties: [(String, JSONValue)], required: [String] = [], description: String? = nil) -> JSONValue {
        var schema: JSONObject = ["type": "object"]
        schema.setIfPresent("description", description.map(JSONValue.string))
        schema["properties"] = .object(JSONObject(properties))
        if !required.isEmpty {
            schema["required"] = JSONValue(required)
        }
        schema["additionalProperties"] = false
        return .object(schema)
    }

    static func string(_ description: String? = nil, enum values: [String]? = nil, nullable: Bool = false) -> JSONValue {
        var schema: JSONObject = ["type": nullable ? ["string", "null"] : "string"]
        schema.setIfPresent("description", description.map(JSONValue.string))
        if let values {
            schema["enum"] = .array(values.map(JSONValue.string) + (nullable ? [.null] : []))
        }
        return .object(schema)
    }

    static func boolean(_ description: String? = nil) -> JSONValue {
        var schema: JSONObject = ["type": "boolean"]
        schema.setIfPresent("description", description.map(JSONValue.string))
        return .object(schema)
    }

    static func array(of items: JSONValue, description: String? = nil) -> JSONValue {
        var schema: JSONObject = ["type": "array"]
        schema.setIfPresent("description", description.map(JSONValue.string))
        schema["items"] = items
        return .object(schema)
    }

    /// `schema` or `null`.
    static func nullable(_ schema: JSONValue) -> JSONValue {
        ["anyOf": [schema, ["type": "null"]]]
    }
}

extension JSONValue {
    /// The schema with `$defs` added, for recursive shapes (`{"$ref": "#/$defs/node"}`).
    func adding(definitions: [String: JSONValue]) -> JSONValue {
        guard case .object(var object) = self else { return self }
        object["$defs"] = .object(JSONObject(definitions.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }))
        return .object(object)
    }
}
