import AssistantTools
import JSON
import JSONRPC
import Policy
import ResourceStore
import Testing

/// Assistants pay for every byte: `tools/list` and every default answer stay within a budget.
/// (The same budget on a 100 000-resource store: tests/interop/test_context_budget.py.)
@Suite("Context budget")
struct ContextBudgetTests {
    /// `tools/list` on the wire, whatever the control level.
    static let toolsListBudget = 20_000
    /// The text of any answer to a call with only the required arguments.
    static let answerBudget = 8_192

    @Test("tools/list is under 20 KB on the wire at every control level", arguments: ControlLevel.allCases)
    func toolsList(_ level: ControlLevel) async throws {
        let server = AssistantServer.make(
            manifest: Fixtures.manifest, manifestSource: "tests", stores: Fixtures.demoStores,
            control: .init(settings: ControlSettings(level: level))
        )
        let client = InProcessClient(server)
        try await client.initialize()
        let result = try await client.send("tools/list").get()
        let line = JSONSerializer.line(["jsonrpc": "2.0", "id": 2, "result": result])
        #expect(line.count < Self.toolsListBudget, "tools/list is \(line.count) bytes at \(level.rawValue)")
    }

    @Test("every tool's default answer is at most 8 KB of text on the demo fleet", arguments: ArgumentToleranceTests.descriptors.map(\.name))
    func defaultAnswer(_ name: String) async throws {
        let client = InProcessClient()
        try await client.ensureInitialized()
        var arguments = try #require(ArgumentToleranceTests.base[name])
        // The default answer is the one without arguments beyond the required ones.
        if name == "get_topology" { arguments["rootId"] = nil }
        if name == "control_resource" { arguments["dryRun"] = nil }
        let result = try await client.callTool(name, .object(arguments))
        let text = try #require(result["content"]?.arrayValue?.first?["text"]?.stringValue)
        #expect(text.utf8.count <= Self.answerBudget, "\(name) {} answers \(text.utf8.count) bytes")
    }
}
