import AssistantTools
import JSON
import Policy
import Testing

@Suite("get_platform_support")
struct GetPlatformSupportToolTests {
    let tool = GetPlatformSupportTool(manifest: Fixtures.manifest)

    func call(_ arguments: JSONObject) async throws -> JSONValue {
        try await tool.call(arguments, context: Fixtures.context())
    }

    @Test("without a platform it answers every row in manifest order, and the rows conform to the output schema")
    func allRows() async throws {
        let result = try await call([:])
        let ids = result["platforms"]?.arrayValue?.compactMap { $0["id"]?.stringValue }
        #expect(ids == Fixtures.manifest.ids.map(\.rawValue))
        #expect(ids?.count == 14)
        #expect(result["supportedCount"] == 7)
        #expect(SchemaValidator.violations(of: result, against: tool.descriptor.outputSchema).isEmpty)
    }

    @Test("ids and aliases resolve case-insensitively", arguments: [
        ("pve", "proxmox-pve"), ("PVE", "proxmox-pve"), ("Proxmox", "proxmox-pve"), ("pbs", "proxmox-pbs"),
        ("PMG", "proxmox-pmg"), ("k8s", "kubernetes"), ("VMware", "vmware-vsphere"), ("hyper-v", "microsoft-hyperv"),
        ("TrueNAS", "truenas"), ("agent", "agent"), ("Docker", "docker"),
    ])
    func resolves(_ name: String, _ id: String) async throws {
        let result = try await call(["platform": .string(name)])
        let rows = try #require(result["platforms"]?.arrayValue)
        #expect(rows.count == 1)
        #expect(rows.first?["id"] == .string(id))
        #expect(SchemaValidator.violations(of: result, against: tool.descriptor.outputSchema).isEmpty)
    }

    @Test("a supported row carries every surface and its control class")
    func supportedRow() async throws {
        let row = try #require(try await call(["platform": "pve"])["platforms"]?.arrayValue?.first)
        #expect(row["supported"] == true)
        #expect(row["governanceState"] == "supported")
        #expect(row["assistantControl"] == "augmentation-only")
        #expect(row["supportFloor"]?.objectValue?.keys == Surface.allCases.map(\.rawValue))
        #expect(row["statement"]?.stringValue?.contains("routed to the Pulse agent") == true)
    }

    @Test("vSphere is admitted, first-lab-ready, and plainly not supported")
    func vsphereIsNotSupported() async throws {
        let row = try #require(try await call(["platform": "vmware-vsphere"])["platforms"]?.arrayValue?.first)
        #expect(row["supported"] == false)
        #expect(row["governanceState"] == "admitted")
        #expect(row["readinessStage"] == "first-lab-ready")
        #expect(row["supportFloor"] == .null)
        #expect(row["assistantControl"] == .null)
        #expect(row["proposedFloor"]?["assistantControl"] == "read-only")
        let statement = try #require(row["statement"]?.stringValue)
        #expect(statement.hasPrefix("vmware-vsphere is not supported."))
        #expect(statement.contains("first-lab-ready, an implementation checkpoint and not a support claim"))
        #expect(statement.contains("proposed phase-1 floor, not current support"))
    }

    @Test("presentation-only ids say they are vocabulary", arguments: ["unraid", "synology-dsm", "microsoft-hyperv", "aws", "azure", "gcp"])
    func presentationOnly(_ id: String) async throws {
        let row = try #require(try await call(["platform": .string(id)])["platforms"]?.arrayValue?.first)
        #expect(row["supported"] == false)
        #expect(row["governanceState"] == "presentation-only")
        #expect(row["readinessStage"] == .null)
        #expect(row["projections"] == [])
        #expect(row["statement"]?.stringValue?.hasPrefix("\(id) is not supported. It is presentation-only vocabulary") == true)
    }

    @Test("an unknown platform is rejected with the known ids", arguments: ["podman", "esxi", "", "proxmox-pve "])
    func unknown(_ name: String) async {
        await #expect(throws: ToolError.self) { try await call(["platform": .string(name)]) }
        do {
            _ = try await call(["platform": .string(name)])
        } catch {
            guard case .rejected(let message) = error as? ToolError else {
                Issue.record("expected a rejection, got \(error)")
                return
            }
            #expect(message.hasPrefix("Unknown platform \"\(name)\". Known platform ids: agent, docker, kubernetes, proxmox-pve"))
            #expect(message.contains("gcp"))
            #expect(message.contains("k8s → kubernetes"))
        }
    }
}
