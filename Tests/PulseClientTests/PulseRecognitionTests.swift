import Fleet
import JSON
import Testing
@testable import PulseClient

/// A walk that recognises rows by their raw bytes (``PulseRowMemo``) makes the batch a walk that
/// reads every row makes, less the records the store keeps: the same ids, parents, aliases, agents,
/// skips and alert join; and it says when a recognised row's stored record no longer fits.
@Suite("PulseFleetAssembler: rows recognised by their raw bytes")
struct PulseRecognitionTests {
    static let hash = PulseRawRowHash(manifestFingerprint: "0123456789abcdef")
    static let vm = "vm-424254e4f1a41a3e"
    static let vmHost = "agent-8676e727f484ed52"

    /// The fixture's rows, each with the bytes it travels as.
    static func rows(without left: Set<String> = []) throws -> [(row: JSONObject, raw: String)] {
        try PulseFixtures.resourceRows().filter { !left.contains($0["id"]?.stringValue ?? "") }.map { row in
            (row, JSONSerializer.bytes(.object(row)).withUnsafeBufferPointer { hash($0) })
        }
    }

    static func alerts() throws -> [JSONValue] { try #require(try PulseFixtures.json("api-alerts-active.json").arrayValue) }
    static func points() throws -> [JSONValue] { try PulseFixtures.json("api-recovery-points.json")["data"]?.arrayValue ?? [] }

    /// A walk that reads every row.
    static func read(without left: Set<String> = []) throws -> (batch: FleetBatch, counts: PulseJoinCounts) {
        var assembler = PulseFleetAssembler(manifest: PulseFixtures.manifest)
        for (row, raw) in try rows(without: left) { assembler.addResource(.object(row), rawHash: raw) }
        return assembler.finish(alerts: try alerts(), recoveryPoints: try points(), source: "pulse test")
    }

    /// What the store keeps of `batch`'s raw rows: each resource's with its record's hash.
    static func kept(_ batch: FleetBatch) -> [String: FleetRawRow] {
        Dictionary(uniqueKeysWithValues: batch.rawRows.map { row in
            var row = row
            row.recordHash = row.resourceId.map { "record-of-\($0)" }
            return (row.hash, row)
        })
    }

    /// A walk that recognises every row `kept` holds and reads the others.
    static func recognising(
        _ kept: [String: FleetRawRow], without left: Set<String> = [], aliasesAsKept: Bool = false
    ) throws -> (batch: FleetBatch, counts: PulseJoinCounts, assembler: PulseFleetAssembler) {
        var assembler = PulseFleetAssembler(manifest: PulseFixtures.manifest)
        for (row, raw) in try rows(without: left) {
            if var known = kept[raw] {
                known.isRecognised = true
                assembler.addRecognised(known)
            } else {
                assembler.addResource(.object(row), rawHash: raw)
            }
        }
        let (batch, counts) = assembler.finish(
            alerts: try alerts(), recoveryPoints: try points(), source: "pulse test", aliasesAsKept: aliasesAsKept
        )
        return (batch, counts, assembler)
    }

    @Test func aRecognisedWalkMakesTheBatchAReadingWalkMakesLessTheRecords() throws {
        let full = try Self.read()
        let again = try Self.recognising(Self.kept(full.batch))
        #expect(again.assembler.parsedRows == 0)
        let rowCount = try Self.rows().count
        #expect(again.assembler.recognisedRows == rowCount)
        #expect(again.batch.records.isEmpty)
        #expect(again.batch.recognised.map(\.id) == full.batch.records.compactMap { $0["id"]?.stringValue })
        #expect(again.batch.recognised.map(\.parentId) == full.batch.records.map { $0["parentId"]?.stringValue })
        #expect(again.batch.recognised.allSatisfy { $0.recordHash == "record-of-\($0.id)" })
        #expect(again.batch.aliases == full.batch.aliases)
        #expect(again.batch.agents == full.batch.agents)
        #expect(again.batch.alerts == full.batch.alerts)
        #expect(again.batch.recoveryPoints == full.batch.recoveryPoints)
        #expect(again.batch.skipped == full.batch.skipped)
        #expect(again.counts == full.counts)
        #expect(again.batch.rawRows.map(\.hash) == full.batch.rawRows.map(\.hash))
        #expect(again.batch.rawRows.allSatisfy { $0.isRecognised })
    }

    @Test func whenTheStoreKeepsTheAliasesOnlyTheNamesTheJoinNeedsAreSettledAndJoinAsBefore() throws {
        let full = try Self.read()
        let again = try Self.recognising(Self.kept(full.batch), aliasesAsKept: true)
        #expect(again.batch.alerts == full.batch.alerts)
        #expect(again.batch.recoveryPoints == full.batch.recoveryPoints)
        #expect(again.counts.unjoinedAlerts == full.counts.unjoinedAlerts)
        #expect(again.counts.unjoinedRecoveryPoints == full.counts.unjoinedRecoveryPoints)
        #expect(!again.batch.aliases.isEmpty)
        #expect(again.batch.aliases.count < full.batch.aliases.count)
        #expect(again.batch.aliases.allSatisfy { full.batch.aliases[$0.key] == $0.value })
    }

    @Test func aRowReadAgainAmongRecognisedOnesIsMappedAsBefore() throws {
        let full = try Self.read()
        var kept = Self.kept(full.batch)
        kept = kept.filter { $0.value.resourceId != Self.vm }
        let again = try Self.recognising(kept)
        #expect(again.assembler.parsedRows == 1)
        #expect(again.batch.records.map { $0["id"]?.stringValue } == [Self.vm])
        #expect(again.batch.records.first == full.batch.records.first { $0["id"]?.stringValue == Self.vm })
        #expect(again.batch.aliases == full.batch.aliases)
        #expect(again.batch.alerts == full.batch.alerts)
        #expect(again.counts == full.counts)
    }

    @Test func aRecognisedRowWhoseParentVanishedNeedsItsRecordAgain() throws {
        let full = try Self.read()
        let again = try Self.recognising(Self.kept(full.batch), without: [Self.vmHost])
        #expect(again.counts.recognisedNeedingRecords >= 1, "the stored record names a parent this fleet lacks")
    }

    @Test func aParentStillMissingIsAsKeptAndOneThatComesBackNeedsTheRecordAgain() throws {
        // Read without the host: the guest's record leaves its parent out, and its memo says so.
        let orphaned = try Self.read(without: [Self.vmHost])
        let row = try #require(orphaned.batch.rawRows.first { $0.resourceId == Self.vm })
        #expect(row.memo.contains(#""u":true"#))
        let still = try Self.recognising(Self.kept(orphaned.batch), without: [Self.vmHost])
        #expect(still.counts.recognisedNeedingRecords == 0)
        #expect(still.batch.recognised.first { $0.id == Self.vm }?.parentId == nil)
        #expect(still.counts.parentsNotSynced == orphaned.counts.parentsNotSynced)
        let back = try Self.recognising(Self.kept(orphaned.batch))
        #expect(back.counts.recognisedNeedingRecords >= 1, "the stored record lacks the parent this fleet has")
    }

    @Test func aMemoThatDoesNotReadNeedsTheRowAgain() throws {
        let full = try Self.read()
        var kept = Self.kept(full.batch)
        let key = try #require(kept.first { $0.value.resourceId == Self.vm }?.key)
        kept[key]?.memo = "not json"
        let again = try Self.recognising(kept)
        #expect(again.counts.recognisedNeedingRecords == 1)
    }

    @Test func aSkipIsRememberedWithItsReason() throws {
        let full = try Self.read()
        let skips = full.batch.rawRows.filter { $0.resourceId == nil }
        #expect(!skips.isEmpty, "the fixture has provider-local rows")
        let again = try Self.recognising(Self.kept(full.batch))
        #expect(again.batch.skipped == full.batch.skipped)
        #expect(again.batch.skipped.contains { $0.reason.contains("provider-local") })
    }
}
