import AssistantTools
import Foundation
import JSON
import Testing

/// `tool-schemas/` is the published contract: one file per tool, compared as
/// JSON with the declarations in code. `UPDATE_GOLDEN=1 swift test` rewrites
/// the files; a missing file is a failure, never created silently in CI.
@Suite("Tool contracts")
struct ToolSchemaTests {
    static let descriptors = AssistantServer.tools(manifest: Fixtures.manifest, stores: Fixtures.demoStores).map(\.descriptor)
    static let directory = Fixtures.repositoryRoot.appendingPathComponent("tool-schemas")

    static var updating: Bool {
        let environment = ProcessInfo.processInfo.environment
        return environment["UPDATE_GOLDEN"] == "1" && environment["CI"] == nil
    }

    @Test("each tool's declaration matches tool-schemas/<name>.json", arguments: descriptors.map(\.name))
    func matchesGoldenFile(_ name: String) throws {
        let descriptor = try #require(Self.descriptors.first { $0.name == name })
        let file = Self.directory.appendingPathComponent("\(name).json")
        if Self.updating {
            try JSONSerializer.pretty(descriptor.contract).write(to: file, atomically: true, encoding: .utf8)
        }
        guard let data = FileManager.default.contents(atPath: file.path) else {
            Issue.record("tool-schemas/\(name).json is missing; write it with UPDATE_GOLDEN=1 swift test --filter ToolSchemaTests")
            return
        }
        let pinned = try JSONParser.parse(data)
        #expect(
            pinned.isEquivalent(to: descriptor.contract),
            "tool-schemas/\(name).json differs from the code; review the change, then UPDATE_GOLDEN=1 swift test --filter ToolSchemaTests"
        )
    }

    @Test("tool-schemas/ holds no file for a tool that does not exist")
    func noStaleFiles() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path).filter { $0.hasSuffix(".json") }
        #expect(Set(files) == Set(Self.descriptors.map { "\($0.name).json" }))
    }

    @Test("every tool: verb_noun name, title, a description that starts with what it does")
    func naming() {
        for descriptor in Self.descriptors {
            #expect(descriptor.name.wholeMatch(of: /[a-z]+(_[a-z]+)+/) != nil, "\(descriptor.name) is not verb_noun")
            #expect(!descriptor.title.isEmpty)
            #expect(descriptor.description.first?.isUppercase == true)
            #expect(descriptor.description.count >= 40)
        }
    }

    @Test("every argument and result field is camelCase")
    func camelCaseFields() {
        for descriptor in Self.descriptors {
            for name in Self.propertyNames(descriptor.inputSchema) + Self.propertyNames(descriptor.outputSchema) {
                #expect(name.wholeMatch(of: /[a-z][a-zA-Z0-9]*/) != nil, "\(descriptor.name): \(name) is not camelCase")
            }
        }
    }

    @Test("read tools say read-only and closed-world, control_resource destructive; schemas are closed objects")
    func annotationsAndSchemas() {
        for descriptor in Self.descriptors {
            let control = descriptor.name == "control_resource"
            #expect(descriptor.annotations.readOnly == !control, "\(descriptor.name)")
            #expect(descriptor.annotations.destructive == control, "\(descriptor.name)")
            #expect(descriptor.annotations.openWorld == control, "\(descriptor.name)")
            #expect(descriptor.inputSchema["type"] == "object")
            #expect(descriptor.inputSchema["additionalProperties"] == false)
            #expect(descriptor.outputSchema["type"] == "object")
        }
    }

    /// Every key of every `properties` in a schema, however deep.
    static func propertyNames(_ schema: JSONValue) -> [String] {
        switch schema {
        case .object(let object):
            let own = object["properties"]?.objectValue?.keys ?? []
            return own + object.flatMap { propertyNames($0.value) }
        case .array(let elements):
            return elements.flatMap(propertyNames)
        default:
            return []
        }
    }
}
