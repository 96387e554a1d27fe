import Foundation
import JSON
import Testing

@Suite("pulse-assistant policy-report")
struct PolicyReportCommandTests {
    static let golden = Repository.root.appendingPathComponent("docs/policy-report.md")

    @Test("the shipped model's report is pinned in docs/policy-report.md")
    func golden() async throws {
        let output = try await CommandRunner.run(["policy-report"])
        #expect(output.status == 0)
        try Repository.checkFile(Self.golden, equals: output.stdout)
    }

    @Test("the report decides every projected type × action under each level, and says the route and the code")
    func content() async throws {
        let output = try await CommandRunner.run(["policy-report", "--format", "json"])
        #expect(output.status == 0)
        let report = try JSONParser.parse(output.stdout)
        let platforms = report["platforms"]?.arrayValue ?? []
        #expect(platforms.count == 14)
        let rows = platforms.flatMap { $0["rows"]?.arrayValue ?? [] }
        #expect(rows.count == 26 * 10)
        func row(_ platform: String, _ type: String, _ action: String) -> JSONValue? {
            rows.first { $0["platform"]?.stringValue == platform && $0["type"]?.stringValue == type && $0["action"]?.stringValue == action }
        }
        let pveStop = try #require(row("proxmox-pve", "vm", "stop"))
        #expect(pveStop["decisions"]?["read-only"] == ["outcome": "refuse", "code": "control_disabled", "needsApproval": false])
        #expect(pveStop["decisions"]?["controlled"] == ["outcome": "route", "needsApproval": true])
        #expect(pveStop["decisions"]?["autonomous"] == ["outcome": "route", "needsApproval": false])
        #expect(pveStop["route"]?.stringValue?.contains("never the API") == true)
        #expect(row("truenas", "app-container", "restart")?["route"]?.stringValue?.contains("platform connection") == true)
        #expect(row("vmware-vsphere", "vm", "stop")?["code"] == "platform_not_supported")
        #expect(row("proxmox-pbs", "storage", "start")?["code"] == "action_not_applicable")
        #expect(platforms.first { $0["id"] == "unraid" }?["rows"] == [])
    }

    @Test("a changed manifest changes the report")
    func changedManifest() async throws {
        let shipped = try String(contentsOf: Repository.root.appendingPathComponent("Sources/Policy/Resources/platform-support.json"), encoding: .utf8)
        let edited = shipped.replacingOccurrences(of: "\"assistantControl\": \"augmentation-only\"", with: "\"assistantControl\": \"read-only\"")
        #expect(edited != shipped)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pa-manifest-\(UUID()).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try edited.write(to: file, atomically: true, encoding: .utf8)
        let output = try await CommandRunner.run(["policy-report", "--manifest", file.path])
        #expect(output.status == 0)
        #expect(output.stdout != (try String(contentsOf: Self.golden, encoding: .utf8)))
        #expect(output.stdout.contains("## Proxmox VE (`proxmox-pve`): supported, assistant control `read-only`"))
        #expect(output.stdout.contains("| `vm` | stop | refuse `control_disabled` | refuse `platform_read_only` | refuse `platform_read_only` | - | `platform_read_only` |"))
    }
}
