import JSON

/// A tool's published contract: what `tools/list` shows and `tool-schemas/` pins.
package struct ToolDescriptor: Sendable, Equatable {
    /// `verb_noun`, `[a-z_]`, stable.
    package var name: String
    package var title: String
    /// The first sentence says what the tool does.
    package var description: String
    /// JSON Schema 2020-12 for the arguments; validated before the handler runs.
    package var inputSchema: JSONValue
    /// JSON Schema 2020-12 for `structuredContent`, in its published, compact form (``OutputSchema``).
    package var outputSchema: JSONValue
    package var annotations: ToolAnnotations

    package init(
        name: String,
        title: String,
        description: String,
        inputSchema: JSONValue,
        outputSchema: JSONValue,
        annotations: ToolAnnotations
    ) {
        self.name = name
        self.title = title
        self.description = description
        self.inputSchema = inputSchema
        self.outputSchema = OutputSchema.compact(outputSchema)
        self.annotations = annotations
    }

    /// The full contract, as written to `tool-schemas/<name>.json`.
    package var contract: JSONValue {
        [
            "name": .string(name),
            "title": .string(title),
            "description": .string(description),
            "inputSchema": inputSchema,
            "outputSchema": outputSchema,
            "annotations": annotations.jsonValue(title: title),
        ]
    }

    /// The `Tool` object of `tools/list`, with only the fields `version` defines.
    func listing(for version: ProtocolVersion) -> JSONValue {
        var tool: JSONObject = ["name": .string(name)]
        if version.hasStructuredContent {
            tool["title"] = .string(title)
        }
        tool["description"] = .string(description)
        tool["inputSchema"] = inputSchema
        if version.hasStructuredContent {
            tool["outputSchema"] = outputSchema
        }
        if version.hasToolAnnotations {
            // Where the tool has its own title, the annotations' would repeat it (the tool's takes precedence).
            tool["annotations"] = annotations.jsonValue(title: version.hasStructuredContent ? nil : title)
        }
        return .object(tool)
    }
}
