import Foundation
import JSON
import Testing

@Suite("pulse-assistant matrix")
struct MatrixCommandTests {
    @Test("--check passes on the shipped model")
    func checkShipped() async throws {
        let output = try await CommandRunner.run(["matrix", "--check"])
        #expect(output.status == 0)
        #expect(output.stdout == "bundled platform-support.json: 14 platforms, no governance violations.\n")
    }

    @Test("--check exits 1 and lists every violation of a broken model")
    func checkBroken() async throws {
        let manifest = try Self.shippedManifest()
        let broken = manifest
            .replacingOccurrences(of: "\"id\": \"docker\"", with: "\"id\": \"podman\"")
            .replacingOccurrences(of: "\"docker-service\"", with: "\"swarm-service\"")
        let file = try Self.temporaryFile(broken)
        let output = try await CommandRunner.run(["matrix", "--check", "--manifest", file.path])
        #expect(output.status == 1)
        #expect(output.stdout.isEmpty)
        let lines = output.stderr.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("podman: id: ") && $0.contains("Runtime") })
        #expect(lines.contains { $0.hasPrefix("podman: projections[2]: ") && $0.contains("swarm-service") })
        #expect(lines.last?.hasPrefix("platform-support manifest: ") == true)
        #expect(lines.last?.hasSuffix("governance violations") == true)
    }

    @Test("--format json is the manifest, --format markdown and table show every platform")
    func formats() async throws {
        let json = try await CommandRunner.run(["matrix", "--format", "json"])
        #expect(json.status == 0)
        let parsed = try JSONParser.parse(json.stdout)
        #expect(parsed["platforms"]?.arrayValue?.count == 14)

        let markdown = try await CommandRunner.run(["matrix", "--format", "markdown"])
        #expect(markdown.stdout.contains("| `proxmox-pve` |"))
        #expect(markdown.stdout.contains("first-lab-ready"))

        let table = try await CommandRunner.run(["matrix"])
        for id in ["agent", "truenas", "vmware-vsphere", "gcp"] {
            #expect(table.stdout.contains(id))
        }
    }

    @Test("a manifest that cannot be read is a clear error", arguments: ["/nonexistent/platform-support.json", "GARBAGE"])
    func unreadableManifest(_ path: String) async throws {
        let file = path == "GARBAGE" ? try Self.temporaryFile("{ not json") : URL(fileURLWithPath: path)
        let output = try await CommandRunner.run(["matrix", "--check", "--manifest", file.path])
        #expect(output.status != 0)
        #expect(output.stderr.contains("cannot read the platform support model \(file.path)"))
    }

    @Test("an unknown --format is refused")
    func unknownFormat() async throws {
        let output = try await CommandRunner.run(["matrix", "--format", "yaml"])
        #expect(output.status == 64)
        #expect(output.stderr.contains("yaml"))
    }

    static func shippedManifest() throws -> String {
        try String(contentsOf: Repository.root.appendingPathComponent("Sources/Policy/Resources/platform-support.json"), encoding: .utf8)
    }

    static func temporaryFile(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("manifest-\(UUID().uuidString).json")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }
}
