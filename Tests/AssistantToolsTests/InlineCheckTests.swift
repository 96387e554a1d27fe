import Foundation
import JSON
import JSONRPC
import Testing

@testable import AssistantTools

/// The fast path is a property the registry checks: what it runs on the reading thread is decided
/// from the tool's declaration and kept honest by a time budget, not left to convention.
@Suite("inline check")
struct InlineCheckTests {
    /// An inline tool that declares what it is told and takes as long as it is told.
    struct DeclaredInline: InlineTool {
        var name: String
        var annotations: ToolAnnotations = .read
        var takes: TimeInterval = 0

        var descriptor: ToolDescriptor {
            ToolDescriptor(
                name: name, title: name, description: "Answers inline.",
                inputSchema: ["type": "object"], outputSchema: ["type": "object"], annotations: annotations
            )
        }

        func respond(_ arguments: JSONObject, context: ToolContext) throws(ToolError) -> JSONValue {
            if takes > 0 { Thread.sleep(forTimeInterval: takes) }
            return ["done": true]
        }
    }

    @Test("the shipped inline tools run inline; the others, and unknown-world or writing tools, do not")
    func shipped() {
        let registry = InProcessClient().server.registry
        for name in ["get_resource", "get_platform_support", "explain_control", "get_action_status"] {
            #expect(registry.runsInline(name), "\(name)")
        }
        for name in ["search_resources", "get_topology", "list_alerts", "control_resource"] {
            #expect(!registry.runsInline(name), "\(name)")
        }
    }

    @Test("an InlineTool that may write or reach the world is run as a task", arguments: [
        ToolAnnotations(readOnly: false, destructive: false, idempotent: true, openWorld: false),
        ToolAnnotations(readOnly: true, destructive: false, idempotent: true, openWorld: true),
    ])
    func declaration(_ annotations: ToolAnnotations) async throws {
        let registry = ToolRegistry([DeclaredInline(name: "writer", annotations: annotations)])
        #expect(!registry.runsInline("writer"))
        #expect(throws: JSONRPCError.self) { try registry.callInline("writer", arguments: nil, context: Fixtures.context()) }
        let result = try await registry.call("writer", arguments: nil, context: Fixtures.context())
        #expect(result["structuredContent"]?["done"] == true)
    }

    @Test("an inline call over the budget moves its tool to a task from then on; a fast one stays")
    func budget() throws {
        let registry = ToolRegistry([
            DeclaredInline(name: "slow", takes: 0.1),  // twice the budget
            DeclaredInline(name: "fast"),
        ])
        #expect(registry.runsInline("slow") && registry.runsInline("fast"))
        let slow = try registry.callInline("slow", arguments: nil, context: Fixtures.context())
        #expect(slow["structuredContent"]?["done"] == true)
        _ = try registry.callInline("fast", arguments: nil, context: Fixtures.context())
        #expect(!registry.runsInline("slow"))
        #expect(registry.runsInline("fast"))
    }
}
