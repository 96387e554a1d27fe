import Testing

@testable import Policy

@Suite struct LintReportTests {
    @Test func cleanManifestSaysSo() throws {
        let report = LintReport(checking: try Fixtures.shippedManifest())
        #expect(report.isClean)
        #expect(report.text == "platform-support manifest: no governance violations\n")
    }

    @Test func listsOneViolationPerLineThenASummary() throws {
        let manifest = try Fixtures.manifest(after: { manifest in
            Fixtures.edit("proxmox-pbs") { $0.supportFloor?.storage = .unknown("partial") }(&manifest)
            Fixtures.edit("aws") { $0.projections = ["vm"] }(&manifest)
        })
        let report = LintReport(checking: manifest)
        #expect(!report.isClean)
        #expect(report.text == """
            proxmox-pbs: supportFloor.storage: "partial" is not a support value; a supported platform marks each \
            surface supported or n/a (seed, Support Floor: "A platform counts as supported only when every \
            applicable surface above is either supported or explicitly n/a")
            aws: projections: presentation-only vocabulary projects nothing (seed, Current Inconsistencies To \
            Treat Explicitly: "Those ids must not be interpreted as current support unless the classifications \
            above say so")
            platform-support manifest: 2 governance violations

            """)
    }

    @Test(arguments: [(0, "no governance violations"), (1, "1 governance violation"), (3, "3 governance violations")])
    func summaryCountsViolations(_ count: Int, _ wording: String) {
        let violation = GovernanceViolation(platform: "docker", field: "id", message: "m", rule: .completeFloor)
        let report = LintReport(violations: Array(repeating: violation, count: count))
        #expect(report.summary == "platform-support manifest: " + wording)
        #expect(report.text.split(separator: "\n").count == count + 1)
    }

    @Test(arguments: SeedRule.allCases)
    func everyRuleCitesTheSeed(_ rule: SeedRule) {
        #expect(!rule.section.isEmpty && !rule.words.isEmpty)
        #expect(rule.citation == "seed, \(rule.section): \"\(rule.words)\"")
        #expect(!rule.words.contains("\""), "the citation quotes the words, so they hold no quotes")
    }
}
