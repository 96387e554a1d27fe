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

    /// A tool's input schema: a closed object whose optional properties also accept `null`.
    ///
    /// Strict converters (OpenAI's strict mode, openai-agents) make every property required; a
    /// nullable optional property keeps a way to say "not given" (`"type": ["string", "null"]`), and
    /// the registry reads `null` as absent (``ArgumentNormalizer``).
    static func arguments(_ properties: [(String, JSONValue)], required: [String] = []) -> JSONValue {
        object(properties.map { name, schema in (name, required.contains(name) ? schema : orNull(schema)) }, required: required)
    }

    /// An identifier argument (a resource, action or alert id): at most 512 characters.
    static func id(_ description: String) -> JSONValue {
        ["type": "string", "maxLength": .integer(Int64(Limits.id)), "description": .string(description)]
    }

    /// A name, tag, word or time argument: at most 256 characters.
    static func text(_ description: String, maxLength: Int = Limits.text) -> JSONValue {
        ["type": "string", "maxLength": .integer(Int64(maxLength)), "description": .string(description)]
    }

    static func integer(_ description: String? = nil, minimum: Int, maximum: Int? = nil) -> JSONValue {
        var schema: JSONObject = ["type": "integer", "minimum": .integer(Int64(minimum))]
        schema.setIfPresent("maximum", maximum.map { .integer(Int64($0)) })
        schema.setIfPresent("description", description.map(JSONValue.string))
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

    /// `schema` that also accepts `null`: `null` added to its `type` (and to its `enum`), or an `anyOf`
    /// alternative when it names no single type.
    static func orNull(_ schema: JSONValue) -> JSONValue {
        guard case .object(var object) = schema else { return schema }
        switch object["type"] {
        case .string(let name)?:
            object["type"] = [.string(name), "null"]
        case .array(let names)? where !names.contains(.null) && !names.contains("null"):
            object["type"] = .array(names + ["null"])
        case .array?:
            return schema
        default:
            if let alternatives = object["anyOf"]?.arrayValue {
                if alternatives.contains(["type": "null"]) { return schema }
                object["anyOf"] = .array(alternatives + [["type": "null"]])
                return .object(object)
            }
            return nullable(schema)
        }
        if let values = object["enum"]?.arrayValue, !values.contains(.null) {
            object["enum"] = .array(values + [.null])
        }
        return .object(object)
    }

    /// How long a string argument may be.
    enum Limits {
        static let id = 512
        static let text = 256
        /// A cursor: ``Cursor`` refuses longer tokens anyway.
        static let cursor = 4096
    }
}

extension JSONValue {
    /// The schema with `$defs` added, for shapes used in several places (`{"$ref": "#/$defs/node"}`).
    func adding(definitions: [String: JSONValue]) -> JSONValue {
        guard case .object(var object) = self else { return self }
        object["$defs"] = .object(JSONObject(definitions.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }))
        return .object(object)
    }
}
