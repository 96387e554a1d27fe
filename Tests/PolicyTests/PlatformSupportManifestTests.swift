import Foundation
import Testing

@testable import Policy

@Suite struct PlatformSupportManifestTests {
    static let seedOrder: [PlatformID] = [
        "agent", "docker", "kubernetes", "proxmox-pve", "proxmox-pbs", "proxmox-pmg", "truenas",
        "vmware-vsphere", "unraid", "synology-dsm", "microsoft-hyperv", "aws", "azure", "gcp",
    ]

    @Test func listsEveryPlatformInSeedOrder() throws {
        let manifest = try Fixtures.shippedManifest()
        #expect(manifest.ids == Self.seedOrder)
        #expect(manifest.supportedPlatforms.map(\.id) == Array(Self.seedOrder.prefix(7)))
        #expect(manifest.platforms(in: .admitted).map(\.id) == ["vmware-vsphere"])
        #expect(manifest.platforms(in: .presentationOnly).map(\.id) == Array(Self.seedOrder.suffix(6)))
        #expect(manifest.sourceLastUpdated == "2026-03-31")
        #expect(manifest.manifestVersion == 1)
    }

    @Test func roundTripsThroughItsOwnJSON() throws {
        let manifest = try Fixtures.shippedManifest()
        #expect(try PlatformSupportManifest.decode(manifest.encodedJSON()) == manifest)
    }

    @Test func bundledLoaderReadsThroughTheCallersReader() throws {
        let manifest = try PlatformSupportManifest.bundled { try Data(contentsOf: $0) }
        #expect(manifest == (try Fixtures.shippedManifest()))
    }

    @Test func controlClassComesOnlyFromSupportedRows() throws {
        let manifest = try Fixtures.shippedManifest()
        #expect(manifest.platform(for: "proxmox-pve")?.assistantControlClass == .augmentationOnly)
        #expect(manifest.platform(for: "proxmox-pmg")?.assistantControlClass == .readOnly)
        #expect(manifest.platform(for: "docker")?.assistantControlClass == .supported)
        #expect(manifest.platform(for: "aws")?.assistantControlClass == nil)
    }

    @Test("names resolve by id or alias, ignoring case", arguments: [
        ("proxmox-pve", "proxmox-pve"), ("PROXMOX-PVE", "proxmox-pve"), ("Pve", "proxmox-pve"), ("vmware", "vmware-vsphere"),
        ("docker", "docker"), ("dockers", nil), ("docke", nil), ("", nil), ("proxmox_pve", nil), ("DOCKER\u{130}", nil),
    ] as [(String, PlatformID?)])
    func resolvesNamesIgnoringCase(name: String, id: PlatformID?) throws {
        #expect(try Fixtures.shippedManifest().platform(named: name)?.id == id)
    }

    @Test("names compare ignoring case, beyond ASCII too", arguments: [
        ("Pve", "pve", true), ("pve", "pve ", false), ("ärger", "ÄRGER", true), ("a", "ä", false), ("Straße", "STRAßE", true),
    ])
    func comparesNamesIgnoringCase(lhs: String, rhs: String, equal: Bool) {
        #expect(Platform.equalIgnoringCase(lhs, rhs) == equal)
        #expect(Platform.equalIgnoringCase(rhs, lhs) == equal)
    }

    @Test func projectsOnlyDeclaredTypes() throws {
        let manifest = try Fixtures.shippedManifest()
        let pve = try #require(manifest.platform(for: "proxmox-pve"))
        #expect(pve.projects(.vm))
        #expect(!pve.projects(.pod))
        #expect(pve.isApplicable(.workloads) && pve.isApplicable(.storage))
        let pmg = try #require(manifest.platform(for: "proxmox-pmg"))
        #expect(!pmg.isApplicable(.workloads) && !pmg.isApplicable(.storage) && pmg.isApplicable(.alerts))
    }

    // MARK: - Decoding

    struct MalformedCase: Sendable, CustomTestStringConvertible {
        var name: String, json: String, path: String, reason: String
        var testDescription: String { name }
    }

    static let malformed: [MalformedCase] = [
        .init(name: "empty", json: "", path: "", reason: "not valid JSON"),
        .init(name: "garbage", json: "\u{1}pulse\u{7f}{", path: "", reason: "not valid JSON"),
        .init(name: "array", json: "[]", path: "", reason: "expected an object"),
        .init(name: "null", json: "null", path: "", reason: "expected an object, found null"),
        .init(name: "number", json: "42", path: "", reason: "expected an object"),
        .init(name: "empty object", json: "{}", path: "platforms", reason: "required key is missing"),
        .init(name: "platforms not an array", json: #"{"platforms": {}}"#, path: "platforms", reason: "expected an array"),
        .init(name: "row without displayName", json: #"{"platforms": [{"id": "x", "governance": "supported"}]}"#,
              path: "platforms[0].displayName", reason: "required key is missing"),
        .init(name: "unknown governance",
              json: #"{"platforms": [{"id": "x", "displayName": "X", "governance": "beta"}]}"#,
              path: "platforms[0].governance",
              reason: #""beta" is not a governance state (supported, admitted, presentation-only)"#),
        .init(name: "unknown mode",
              json: #"{"platforms": [{"id": "x", "displayName": "X", "governance": "supported", "primaryMode": "push"}]}"#,
              path: "platforms[0].primaryMode",
              reason: #""push" is not a primary ingestion mode (api-backed, agent-backed, hybrid)"#),
        .init(name: "floor not an object",
              json: #"{"platforms": [{"id": "x", "displayName": "X", "governance": "supported", "supportFloor": "yes"}]}"#,
              path: "platforms[0].supportFloor", reason: "expected an object"),
        .init(name: "support value not a string",
              json: #"{"platforms": [{"id": "x", "displayName": "X", "governance": "supported", "supportFloor": {"alerts": 1}}]}"#,
              path: "platforms[0].supportFloor.alerts", reason: "expected a string"),
    ]

    @Test(arguments: malformed)
    func malformedJSONNamesThePath(_ testCase: MalformedCase) {
        #expect {
            try PlatformSupportManifest.decode(Fixtures.data(testCase.json))
        } throws: { error in
            guard let error = error as? ManifestDecodingError else { return false }
            return error.path == testCase.path && error.reason == testCase.reason
        }
    }

    @Test func garbageBytesAndDeepNestingThrowInsteadOfCrashing() {
        let garbage = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) })
        #expect(throws: ManifestDecodingError.self) { try PlatformSupportManifest.decode(garbage) }
        let deep = Data(String(repeating: "[", count: 100_000).utf8)
        #expect(throws: ManifestDecodingError.self) { try PlatformSupportManifest.decode(deep) }
    }

    @Test func decodeErrorDescriptionNamesThePath() {
        let error = ManifestDecodingError(path: "platforms[3].governance", reason: "bad")
        #expect(error.description == "platform-support manifest: platforms[3].governance: bad")
        #expect(ManifestDecodingError(path: "", reason: "not valid JSON").description
            == "platform-support manifest: (document): not valid JSON")
    }

    @Test func wrongVocabularyStillDecodesForTheLint() throws {
        let json = #"""
            {"platforms": [{"id": "podman", "displayName": "Podman", "governance": "supported",
              "projections": ["esxi-host", "vm"], "supportFloor": {"storage": "partial", "assistantControl": "maybe"}}]}
            """#
        let manifest = try PlatformSupportManifest.decode(Fixtures.data(json))
        let platform = try #require(manifest.platforms.first)
        #expect(platform.projections == ["esxi-host", "vm"])
        #expect(platform.resourceTypes == [.vm])
        #expect(platform.supportFloor?.storage == .unknown("partial"))
        #expect(platform.supportFloor?.assistantControlClass == nil)
        #expect(platform.supportFloor?.missingSurfaces.count == 6)
    }
}
