import Foundation
import FuzzTargets
import Testing

/// A short, bounded, deterministic run of the fuzz target (the long one is `scripts/fuzz`).
struct FuzzTargetTests {
    static let schemas = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("tool-schemas").path

    @Test(arguments: [1, 2] as [UInt64])
    func aBoundedRunFindsNothing(seed: UInt64) throws {
        let target = try FuzzTarget.loading(schemasFrom: Self.schemas)
        #expect(target.schemas.count >= 10)
        let report = FuzzHarness(target: target, seed: seed).run(3_000)
        #expect(report.runs == 3_000)
        #expect(report.findings.isEmpty, "\(report.findings)")
    }

    @Test func theChecksCanFail() {
        // A target whose serializer check cannot hold would find it: the harness reports findings.
        let finding = FuzzTarget.Finding(check: "x", input: [1, 2])
        #expect(finding.description.hasPrefix("x (input of 2 bytes"))
        // The corpus itself passes every check.
        let target = FuzzTarget(schemas: [])
        for seed in FuzzCorpus.seeds { #expect(target.run(seed) == nil) }
    }
}
