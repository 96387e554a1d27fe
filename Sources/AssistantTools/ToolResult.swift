import JSON

/// Builds `CallToolResult` objects.
enum ToolResult {
    /// `structuredContent` and one text block holding the same JSON.
    ///
    /// Before 2025-06-18 there is no `structuredContent`: the text block alone carries the JSON.
    /// The result is serialized once, here (``SerializedJSON``): the writer copies those bytes as
    /// `structuredContent` and escapes them as the text block, instead of serializing the tree again.
    static func success(_ structured: JSONValue, version: ProtocolVersion) -> JSONValue {
        let serialized = SerializedJSON(structured)
        var result: JSONObject = ["content": [["type": "text", "text": .serialized(serialized.text)]]]
        if version.hasStructuredContent {
            result["structuredContent"] = .serialized(serialized)
        }
        return .object(result)
    }

    /// Like ``success(_:version:)``, flagged `isError`: the call ran and its outcome is a failure.
    static func failure(_ structured: JSONValue, version: ProtocolVersion) -> JSONValue {
        guard case .object(var result) = success(structured, version: version) else { return error(structured.description) }
        result["isError"] = true
        return .object(result)
    }

    /// A result the caller can read and act on: what was wrong, in words. A message that quotes an
    /// argument quotes it without any credential in it (see ``Redaction``).
    static func error(_ message: String) -> JSONValue {
        ["content": [["type": "text", "text": .string(Redaction.maskingCredentials(in: message))]], "isError": true]
    }
}
