import AssistantTools
import JSON
import JSONRPC
import Testing

/// The tools work unchanged under the agent frameworks that wrap MCP servers: what they send for
/// "not given" changes no meaning, and what their converters need of a schema holds for every tool.
@Suite("Argument tolerance over all tools")
struct ArgumentToleranceTests {
    static let descriptors = ToolSchemaTests.descriptors

    /// What each tool needs to answer at all: its required arguments, and one of a "one of" pair.
    static let base: [String: JSONObject] = [
        "search_resources": [:],
        "get_resource": ["id": "vm/pve-a/101"],
        "get_topology": ["rootId": "agent/pve-a"],
        "list_alerts": [:],
        "get_storage_summary": [:],
        "list_recovery_points": ["resourceId": "vm/pve-a/101"],
        "get_metrics": ["resourceId": "vm/pve-a/101", "metric": "cpu"],
        "get_platform_support": [:],
        "explain_control": ["resourceId": "vm/pve-a/101"],
        "control_resource": ["resourceId": "vm/pve-a/101", "action": "stop", "reason": "tolerance test", "dryRun": true],
        "get_action_status": ["actionId": "act-000000"],
    ]

    /// Python, JavaScript and Swift keywords: a property of that name breaks generated code (mcpadapt).
    static let keywords: Set<String> = [
        // Python
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif",
        "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or",
        "pass", "raise", "return", "try", "while", "with", "yield",
        // JavaScript
        "case", "catch", "const", "debugger", "default", "delete", "do", "enum", "export", "extends", "false", "function",
        "implements", "instanceof", "interface", "let", "new", "null", "package", "private", "protected", "public", "static",
        "super", "switch", "this", "throw", "true", "typeof", "var", "void",
        // Swift
        "associatedtype", "deinit", "extension", "fileprivate", "func", "init", "inout", "internal", "nil", "open", "operator",
        "precedencegroup", "protocol", "repeat", "rethrows", "self", "Self", "struct", "subscript", "throws", "typealias", "where",
        "defer", "fallthrough", "guard", "Any",
    ]

    @Test("every tool has a base call here")
    func baseCalls() {
        #expect(Set(Self.base.keys) == Set(Self.descriptors.map(\.name)))
    }

    @Test("every optional argument accepts null; required ones do not", arguments: descriptors.map(\.name))
    func optionalArgumentsAreNullable(_ name: String) throws {
        let schema = try #require(Self.descriptors.first { $0.name == name }?.inputSchema)
        let required = Set(schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        for (property, rules) in schema["properties"]?.objectValue ?? [:] {
            let nullable = SchemaValidator.violations(of: .null, against: rules).isEmpty
            #expect(nullable == !required.contains(property), "\(name).\(property)")
            if let types = rules["type"]?.arrayValue, nullable {
                #expect(types.last == "null" && types.count == 2, "\(name).\(property): [T, \"null\"]")
            }
        }
    }

    @Test("no schema uses uniqueItems or is recursive; no property is named by a keyword", arguments: descriptors.map(\.name))
    func convertersKeepEverySchema(_ name: String) throws {
        let descriptor = try #require(Self.descriptors.first { $0.name == name })
        for schema in [descriptor.inputSchema, descriptor.outputSchema] {
            #expect(!Self.keys(schema).contains("uniqueItems"), "\(name)")
            #expect(Self.cycle(in: schema) == nil, "\(name): $defs/\(Self.cycle(in: schema) ?? "") refers to itself")
            for property in ToolSchemaTests.propertyNames(schema) {
                #expect(!Self.keywords.contains(property), "\(name): \(property) is a keyword")
            }
        }
    }

    @Test("every string argument is bounded, by maxLength or an enum; every array by maxItems", arguments: descriptors.map(\.name))
    func argumentsAreBounded(_ name: String) throws {
        let schema = try #require(Self.descriptors.first { $0.name == name }?.inputSchema)
        for (property, rules) in schema["properties"]?.objectValue ?? [:] {
            let types = rules["type"]?.arrayValue ?? [rules["type"] ?? .null]
            if types.contains("string") {
                #expect(rules["maxLength"] != nil || rules["enum"] != nil, "\(name).\(property) has no maxLength")
            }
            if types.contains("array") {
                #expect(rules["maxItems"] != nil, "\(name).\(property) has no maxItems")
                let items = rules["items"] ?? [:]
                #expect(items["maxLength"] != nil || items["enum"] != nil, "\(name).\(property)'s items have no maxLength")
            }
        }
    }

    /// The two ways frameworks fill what the model left out: `null` for each (mcp-use), or the
    /// "don't care" value a strict model must send (`""`, `[]`, `false`, and `null` for a number).
    enum Filling: String, CaseIterable {
        case null
        case strict
    }

    @Test("filling the optional arguments with null, or as a strict model does, answers as leaving them out",
          arguments: descriptors.map(\.name), Filling.allCases)
    func notGivenChangesNothing(_ name: String, _ filling: Filling) async throws {
        // Given a tool's base call, and the same call with every other property filled with "not given"
        let client = InProcessClient()
        try await client.ensureInitialized()
        let base = try #require(Self.base[name])
        let schema = try #require(Self.descriptors.first { $0.name == name }?.inputSchema)
        var filled = base
        for (property, rules) in schema["properties"]?.objectValue ?? [:] where !base.contains(property) {
            filled[property] = filling == .null ? .null : Self.dontCare(rules)
        }

        // When both are called
        let plain = try await client.callTool(name, .object(base))
        let padded = try await client.callTool(name, .object(filled))

        // Then the answers are the same
        #expect(!Self.text(padded).hasPrefix("Invalid arguments"), "\(name): \(Self.text(padded))")
        #expect(Self.stable(padded) == Self.stable(plain), "\(name) answers \(Self.text(padded)) instead of \(Self.text(plain))")
    }

    static let neitherCases: [(String, JSONValue, String)] = [
        ("get_resource", [:], "pass id (e.g. vm/pve-a/101"),
        ("get_resource", ["id": nil, "name": ""], "pass id (e.g. vm/pve-a/101"),
        ("get_action_status", [:], "pass actionId"),
        ("get_action_status", ["actionId": "", "idempotencyKey": nil], "pass actionId"),
    ]

    @Test("a one-of pair given as neither says what to pass", arguments: neitherCases)
    func neitherOfAPair(_ name: String, _ arguments: JSONValue, _ expected: String) async throws {
        let client = InProcessClient()
        try await client.ensureInitialized()
        let result = try await client.callTool(name, arguments)
        #expect(result["isError"] == true)
        #expect(Self.text(result).contains(expected), "\(Self.text(result))")
    }

    // MARK: - Helpers

    static func dontCare(_ rules: JSONValue) -> JSONValue {
        let types = rules["type"]?.arrayValue ?? [rules["type"] ?? .null]
        if types.contains("string") { return "" }
        if types.contains("array") { return [] }
        if types.contains("boolean") { return false }
        return .null
    }

    static func text(_ result: JSONValue) -> String {
        result["content"]?.arrayValue?.first?["text"]?.stringValue ?? ""
    }

    /// The answer without what differs from call to call (a control action's id and times).
    static func stable(_ result: JSONValue) -> JSONValue {
        guard var structured = result["structuredContent"]?.objectValue else { return ["text": .string(text(result))] }
        for key in ["actionId", "createdAt", "updatedAt"] { structured[key] = nil }
        return [
            "isError": result["isError"] ?? false, "structuredContent": .object(structured),
        ]
    }

    /// Every key of every object in a schema.
    static func keys(_ schema: JSONValue) -> [String] {
        switch schema {
        case .object(let object): object.keys + object.flatMap { keys($0.value) }
        case .array(let items): items.flatMap(keys)
        default: []
        }
    }

    /// A definition that reaches itself through `$ref`s, if any.
    static func cycle(in schema: JSONValue) -> String? {
        let definitions = schema["$defs"]?.objectValue ?? [:]
        func references(_ value: JSONValue) -> [String] {
            switch value {
            case .object(let object):
                let own = object["$ref"]?.stringValue.map { [String($0.dropFirst("#/$defs/".count))] } ?? []
                return own + object.flatMap { references($0.value) }
            case .array(let items):
                return items.flatMap(references)
            default:
                return []
            }
        }
        func reaches(_ start: String, from name: String, seen: inout Set<String>) -> Bool {
            for next in references(definitions[name] ?? .null) {
                if next == start { return true }
                if seen.insert(next).inserted, reaches(start, from: next, seen: &seen) { return true }
            }
            return false
        }
        return definitions.keys.first { name in
            var seen: Set<String> = []
            return reaches(name, from: name, seen: &seen)
        }
    }
}
