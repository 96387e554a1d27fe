import AssistantTools
import JSON
import JSONRPC
import Testing

/// "Did you mean" hints pass the read gate like every listing: no unsupported platform's ids or names
/// by default, and each labelled unsupported when the caller asks to include them.
@Suite("closest-match hints")
struct ClosestHintTests {
    let client = InProcessClient()

    func refusal(_ name: String, _ arguments: JSONValue) async throws -> String {
        try await client.ensureInitialized()
        let result = try await client.callTool(name, arguments)
        #expect(result["isError"] == true)
        return try #require(result["content"]?.arrayValue?.first?["text"]?.stringValue)
    }

    /// Each "Closest:" entry, as `id (type "name" on platform…)`.
    func entries(_ text: String) -> [Substring] {
        guard let range = text.range(of: " Closest: ") else { return [] }
        return text[range.upperBound...].split(separator: "), ").map { $0 }
    }

    @Test("hidden platforms are left out of hints", arguments: [
        ("get_resource", ["id": "agent/esxi-0"] as JSONValue),
        ("get_resource", ["id": "vm/vc-01/vm-100"]),
        ("get_resource", ["name": "esxi-0"]),
        ("get_metrics", ["resourceId": "vm/vc-01/vm-100", "metric": "cpu"]),
        ("explain_control", ["resourceId": "vm/vc-01/vm-100"]),
    ] as [(String, JSONValue)])
    func hidden(tool: String, arguments: JSONValue) async throws {
        let text = try await refusal(tool, arguments)
        let hint = try #require(text.range(of: "\". ").map { text[$0.upperBound...] }, "\(text)")
        #expect(!hint.contains("vmware-vsphere") && !hint.contains("vc-01") && !hint.contains("esxi"), "\(text)")
    }

    @Test("with includeUnsupported, every hint on an unsupported platform says so")
    func labelled() async throws {
        let text = try await refusal("get_resource", ["id": "vm/vc-01/vm-100", "includeUnsupported": true])
        let vsphere = entries(text).filter { $0.contains("on vmware-vsphere") }
        #expect(!vsphere.isEmpty, "\(text)")
        #expect(vsphere.allSatisfy { $0.contains("on vmware-vsphere, not supported (admitted)") }, "\(text)")
    }
}
