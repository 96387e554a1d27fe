import JSONRPC

/// The tools a server offers, in the stable order `tools/list` shows them.
///
/// The registry is the one path every `tools/call` takes: it finds the tool,
/// checks the arguments against the tool's input schema, runs the handler,
/// and shapes the answer (`structuredContent` plus a text block of the same
/// JSON, or an `isError` result that says what was wrong).
public struct ToolRegistry: Sendable {
    public let tools: [any Tool]
    /// Declarations are built once: the request path only reads them.
    public let descriptors: [ToolDescriptor]
    private let index: [String: Int]

    /// - Precondition: tool names are unique; a duplicate keeps the first.
    public init(_ tools: [any Tool]) {
        var index: [String: Int] = [:]
        var kept: [any Tool] = []
        for tool in tools where index[tool.descriptor.name] == nil {
            index[tool.descriptor.name] = kept.count
            kept.append(tool)
        }
        self.tools = kept
        self.descriptors = kept.map(\.descriptor)
        self.index = index
    }

    public func tool(named name: String) -> (any Tool)? {
        index[name].map { tools[$0] }
    }

    /// One page of `tools/list`, starting after `cursor`.
    ///
    /// - Throws: `-32602` for a cursor this listing did not issue.
    public func list(cursor: String?, pageSize: Int, version: ProtocolVersion) throws(JSONRPCError) -> JSONValue {
        var start = 0
        if let cursor {
            guard let decoded = Cursor(token: cursor, listing: "tools/list"),
                  let offset = Int(decoded.position), (0...tools.count).contains(offset)
            else { throw .invalidParams("invalid cursor for tools/list: \"\(cursor.prefix(64))\"") }
            start = offset
        }
        let end = min(tools.count, start + max(1, pageSize))
        var result: JSONObject = ["tools": .array(descriptors[start..<end].map { $0.listing(for: version) })]
        if end < tools.count {
            result["nextCursor"] = .string(Cursor(listing: "tools/list", position: String(end)).token)
        }
        return .object(result)
    }

    /// Runs `tools/call` for `name` with `arguments`.
    ///
    /// - Throws: `-32602` for an unknown tool or arguments that are not an
    ///   object; `-32603` when the tool fails internally. A bad argument is
    ///   not thrown: it is an `isError` result naming the argument.
    public func call(_ name: String, arguments: JSONValue?, context: ToolContext) async throws(JSONRPCError) -> JSONValue {
        guard let position = index[name] else {
            let known = descriptors.map(\.name).joined(separator: ", ")
            throw .invalidParams("unknown tool \"\(name.prefix(100))\"; known tools: \(known)")
        }
        let object: JSONObject
        switch arguments {
        case nil, .null?: object = JSONObject()
        case .object(let value)?: object = value
        case let other?: throw .invalidParams("tool arguments must be an object, got \(other.typeName)")
        }
        let tool = tools[position]
        let violations = SchemaValidator.violations(of: .object(object), against: descriptors[position].inputSchema)
        guard violations.isEmpty else {
            let listed = violations.map(\.description).joined(separator: "; ")
            return ToolResult.error("Invalid arguments for \(name): \(listed).")
        }
        let structured: JSONValue
        do throws(ToolError) {
            structured = try await tool.call(object, context: context)
        } catch {
            switch error {
            case .rejected(let message): return ToolResult.error(message)
            case .internalFailure(let message): throw .internalError(message)
            }
        }
        return ToolResult.success(structured, version: context.protocolVersion)
    }
}
