import Foundation
import Testing

@testable import Policy

@Suite struct MatrixRendererTests {
    /// Lines of `text` that start with `prefix`, where `prefix` is a row's first cell.
    static func rows(_ text: String, startingWith prefix: String) -> [String] {
        text.split(separator: "\n").map(String.init).filter { $0.hasPrefix(prefix) }
    }

    @Test func tableShowsEverySupportedSurface() throws {
        let table = MatrixRenderer.table(try Fixtures.shippedManifest())
        let pve = Self.rows(table, startingWith: "proxmox-pve ")
        #expect(pve.count == 2, "one row per table")
        #expect(pve.last?.contains("support ") == true)
        #expect(pve.last?.contains("platform connections") == true)
        #expect(pve.last?.hasSuffix("augmentation-only") == true)
        let pmg = try #require(Self.rows(table, startingWith: "proxmox-pmg ").last)
        let cells = pmg.split(separator: " ", omittingEmptySubsequences: true)
        #expect(cells.suffix(7) == ["supported", "n/a", "n/a", "n/a", "supported", "supported", "read-only"])
    }

    @Test func tableLabelsAdmittedAndPresentationOnlyHonestly() throws {
        let table = MatrixRenderer.table(try Fixtures.shippedManifest())
        let vsphere = Self.rows(table, startingWith: "vmware-vsphere ")
        #expect(vsphere.first?.contains("admitted") == true)
        #expect(vsphere.first?.contains("first-lab-ready") == true)
        #expect(vsphere.last?.contains("proposed (not support)") == true)
        #expect(vsphere.allSatisfy { !$0.contains(" support ") }, "vSphere never reads as supported")
        for id in ["unraid", "synology-dsm", "microsoft-hyperv", "aws", "azure", "gcp"] {
            let rows = Self.rows(table, startingWith: id + " ")
            #expect(rows.first?.contains("presentation-only") == true)
            #expect(rows.last?.contains("none (presentation-only)") == true)
        }
        #expect(table.contains("not in the support matrix; its floor is proposed, not a support claim"))
    }

    @Test func tableColumnsAreAligned() throws {
        let table = MatrixRenderer.table(try Fixtures.shippedManifest())
        let floorTable = table.split(separator: "\n", omittingEmptySubsequences: false).drop { !$0.hasPrefix("Platform  ") }.dropFirst()
            .drop { !$0.hasPrefix("Platform  ") }.prefix { !$0.isEmpty }
        let header = try #require(floorTable.first)
        let column = try #require(header.range(of: "Visibility")).lowerBound
        let offset = header.distance(from: header.startIndex, to: column)
        #expect(floorTable.count == 16)
        for line in floorTable.dropFirst() {
            try #require(line.count > offset)
            let index = line.index(line.startIndex, offsetBy: offset)
            #expect(line[line.index(before: index)] == " " && line[index] != " ", "\(line)")
        }
        #expect(!table.split(separator: "\n").contains { $0.hasSuffix(" ") })
    }

    @Test func markdownHasBothTablesWithCodeIds() throws {
        let markdown = MatrixRenderer.markdown(try Fixtures.shippedManifest())
        #expect(markdown.hasPrefix("# Platform support matrix (manifest v1, seed last updated 2026-03-31)\n"))
        #expect(markdown.contains("## Platforms\n\n| Platform | Family |"))
        #expect(markdown.contains("## Support floor\n\n| Platform | Floor | Setup | Visibility |"))
        #expect(markdown.contains("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"))
        #expect(markdown.contains(
            "| `proxmox-pbs` | support | platform connections | supported | n/a | supported | supported | supported | supported | read-only |"))
        #expect(markdown.contains("| `vmware-vsphere` | proposed (not support) | platform connections to `vCenter` only |"))
        #expect(markdown.contains("| `aws` | none (presentation-only) |"))
    }

    @Test func markdownEscapesPipes() throws {
        let manifest = try Fixtures.manifest(after: Fixtures.edit("agent") { $0.family = "host | appliance" })
        #expect(MatrixRenderer.markdown(manifest).contains("| `agent` | host \\| appliance |"))
    }

    @Test func jsonIsTheManifestWithSortedKeys() throws {
        let manifest = try Fixtures.shippedManifest()
        let json = try MatrixRenderer.render(manifest, format: .json)
        #expect(try PlatformSupportManifest.decode(Data(json.utf8)) == manifest)
        #expect(json.hasSuffix("}\n"))
        let keys = ["\"manifestVersion\"", "\"platforms\"", "\"source\"", "\"sourceLastUpdated\""]
        let offsets = keys.compactMap { json.range(of: $0)?.lowerBound }
        #expect(offsets.count == keys.count && offsets == offsets.sorted())
        #expect(json.contains("\"family\" : null"), "absent values are explicit")
    }

    @Test(arguments: MatrixFormat.allCases)
    func everyFormatRendersABrokenDraftWithoutFailing(_ format: MatrixFormat) throws {
        let draft = try Fixtures.manifest(after: Fixtures.edit("docker") {
            $0.supportFloor?.alerts = nil
            $0.supportFloor?.storage = .unknown("partial")
        })
        let text = try MatrixRenderer.render(draft, format: format)
        #expect(text.contains("partial"))
        if format != .json { #expect(text.contains("(blank)")) }
    }

    @Test(arguments: MatrixFormat.allCases)
    func anEmptyManifestRendersHeadersOnly(_ format: MatrixFormat) throws {
        let empty = try PlatformSupportManifest.decode(Fixtures.data(#"{"platforms": []}"#))
        #expect(GovernanceLint.check(empty).isEmpty)
        let text = try MatrixRenderer.render(empty, format: format)
        #expect(text.contains(format == .json ? "\"platforms\" : [" : "Platform"))
    }
}
