import ArgumentParser
import AssistantTools
import Foundation
import Policy
import ResourceStore
import Testing
@testable import pulse_assistant

/// The CLI reference (docs/cli.md) and the README's tool list are generated from the code, so
/// they cannot drift: this test fails when they differ, and
/// `UPDATE_GOLDEN=1 swift test --filter CLIReferenceTests` rewrites them.
@Suite("README reference", .serialized)
struct CLIReferenceTests {
    static let readme = Repository.root.appendingPathComponent("README.md")
    static let cliReference = Repository.root.appendingPathComponent("docs/cli.md")

    @Test("docs/cli.md is the commands' --help")
    func cliReference() throws {
        let commands: [any ParsableCommand.Type] = [
            PulseAssistantCommand.self, ServeCommand.self, CallCommand.self, IngestCommand.self, SyncCommand.self, DemoCommand.self, MatrixCommand.self,
            EndpointCommand.self, AuditListCommand.self, AuditVerifyCommand.self, AuditExportCommand.self, PolicyReportCommand.self,
            ReplayCommand.self,
        ]
        let sections = commands.map { command in
            let audit = [AuditListCommand.self, AuditVerifyCommand.self, AuditExportCommand.self].contains { $0 == command }
            let name = command._commandName == "pulse-assistant"
                ? "pulse-assistant" : "pulse-assistant \(audit ? "audit " : "")\(command._commandName)"
            let help = PulseAssistantCommand.helpMessage(for: command, columns: 100)
            return "### `\(name)`\n\n```text\n\(help.trimmingCharacters(in: .newlines))\n```\n"
        }
        try Repository.checkSection("cli", of: Self.cliReference, equals: sections.joined(separator: "\n"))
    }

    @Test("the README's tool list is the registry's")
    func toolList() throws {
        let manifest = try PlatformSupportManifest.bundled { try Data(contentsOf: $0) }
        let stores = StoreProvider(try ResourceStore.inMemory(), description: "empty")
        let rows = AssistantServer.tools(manifest: manifest, stores: stores).map { tool in
            let descriptor = tool.descriptor
            let kind = descriptor.annotations.readOnly ? "read" : "control"
            return "| `\(descriptor.name)` | \(kind) | \(Self.firstSentence(of: descriptor.description)) |"
        }
        let table = (["| tool | kind | what it does |", "| --- | --- | --- |"] + rows).joined(separator: "\n") + "\n"
        try Repository.checkSection("tools", of: Self.readme, equals: table)
    }

    @Test("a tool's summary for the README: before the colon or to the end of the first sentence, one period", arguments: [
        ("Returns a tree to a depth: nodes, guests.", "Returns a tree to a depth."),
        ("Lists backups. Only some platforms have them.", "Lists backups."),
        ("One metric (e.g. cpu) over a range. Without since.", "One metric (e.g. cpu) over a range."),
        ("Explains a call.", "Explains a call."),
        ("No period at all", "No period at all."),
    ])
    func summary(_ description: String, _ expected: String) {
        #expect(Self.firstSentence(of: description) == expected)
    }

    /// A description's summary: the text before its first colon (what follows lists details) or up to
    /// the end of its first sentence (a period, a space and a capital letter: "e.g. cpu" goes on),
    /// ending in one period.
    static func firstSentence(of text: String) -> String {
        let characters = Array(text)
        var end = characters.endIndex
        for index in characters.indices.dropLast(2) {
            if characters[index] == ":" { end = index; break }
            if characters[index] == ".", characters[index + 1] == " ", characters[index + 2].isUppercase { end = index; break }
        }
        if end == characters.endIndex, characters.last == "." { end -= 1 }
        return String(characters[..<end]).trimmingCharacters(in: .whitespaces) + "."
    }
}
