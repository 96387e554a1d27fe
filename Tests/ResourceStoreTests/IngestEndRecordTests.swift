import Foundation
import JSON
import Testing

@testable import Fleet
@testable import ResourceStore

/// JSON Lines end with a count and digest of the lines before them, so that a file cut short is
/// refused rather than taken for a smaller fleet; and a replacement that loses much of the fleet is
/// refused by the shrink guard unless asked for.
struct IngestEndRecordTests {
    typealias F = IngestFixtures

    /// `lines` with the end record for them appended.
    static func ended(_ lines: [String]) -> [UInt8] {
        var digest = SnapshotEndRecord.Digest()
        lines.forEach { digest.add(line: Array($0.utf8)) }
        return Array((lines.joined(separator: "\n") + "\n").utf8) + digest.finish().line + [0x0A]
    }

    static func lines(_ snapshot: F.Snapshot) -> [String] {
        String(decoding: F.lines(snapshot), as: UTF8.self).split(separator: "\n").map(String.init)
    }

    static let strictLines = IngestChecks(requireEndRecord: true)

    /// The seed-1 demo fleet as `demo` writes it.
    static func demoJSONLines() throws -> Data {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("demo-fleet-\(UInt64.random(in: 0...UInt64.max)).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try DemoFleet(seed: 1, scale: 1).writeJSONLines(to: path)
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    @Test func theDemoWritesAnEndRecordOfItsLinesAndTheirSHA256() throws {
        let data = try Self.demoJSONLines()
        let body = data.dropLast().split(separator: 0x0A, omittingEmptySubsequences: false).dropLast()
        let beforeEnd = Data(body.map { Data($0) + Data([0x0A]) }.joined())
        let last = try JSONParser.parse(data.dropLast().split(separator: 0x0A).last ?? [])
        let end = try #require(SnapshotEndRecord(last["end"] ?? .null))

        #expect(end.lines == body.count)
        #expect(end.sha256 == (try Self.sha256sum(beforeEnd)))
        let store = try ResourceStore.inMemory()
        try store.ingest(.bytes(Array(data)), manifest: F.manifest(), now: F.now, checks: .strict)
        #expect(try F.count("resource", in: store) > 200)
    }

    enum Damage: String, CaseIterable, Sendable {
        case cutShort, lineDropped, lineChanged, lineAfterTheEnd

        func apply(_ lines: inout [String]) {
            switch self {
            case .cutShort: lines.removeLast(3)
            case .lineDropped: lines.remove(at: 2)
            case .lineChanged: lines[2] = lines[2].replacingOccurrences(of: "online", with: "offline")
            case .lineAfterTheEnd: lines.append(lines[1])
            }
        }

        var message: String {
            switch self {
            case .cutShort: "snapshot: has no end record"
            case .lineDropped: "end.lines: the end record counts"
            case .lineChanged: "end.sha256: does not match the lines before it"
            case .lineAfterTheEnd: "comes after the end record of line"
            }
        }
    }

    @Test("a damaged JSON Lines file is refused, the store left as it was", arguments: Damage.allCases)
    func damaged(_ damage: Damage) throws {
        let store = try ResourceStore.inMemory()
        try store.ingest(.bytes(F.document(F.base)), manifest: F.manifest(), now: F.now)
        var lines = String(decoding: Self.ended(Self.lines(F.base)), as: UTF8.self).split(separator: "\n").map(String.init)
        damage.apply(&lines)

        let rejection = try #require(throws: SnapshotRejection.self) {
            try store.ingest(.bytes(Array(lines.joined(separator: "\n").utf8) + [0x0A]), manifest: F.manifest(), now: F.now, checks: Self.strictLines)
        }

        #expect(rejection.errors.contains { $0.description.contains(damage.message) }, "\(rejection)")
        #expect(try F.count("resource", in: store) == 5)
    }

    @Test func anEndRecordIsCheckedWhenPresentAndRequiredOnlyWhenAskedFor() throws {
        let store = try ResourceStore.inMemory()
        try store.ingest(.bytes(Self.ended(Self.lines(F.base))), manifest: F.manifest(), now: F.now, checks: Self.strictLines)
        try store.ingest(.bytes(F.lines(F.base)), manifest: F.manifest(), now: F.now)
        #expect(throws: SnapshotRejection.self) {
            try store.ingest(.bytes(F.lines(F.base)), manifest: F.manifest(), now: F.now, checks: Self.strictLines)
        }
        // CRLF endings and blank lines do not change the digest: it is of the lines.
        let crlf = String(decoding: Self.ended(Self.lines(F.base)), as: UTF8.self).replacingOccurrences(of: "\n", with: "\r\n\n")
        try store.ingest(.bytes(Array(crlf.utf8)), manifest: F.manifest(), now: F.now, checks: Self.strictLines)
        #expect(try F.count("resource", in: store) == 5)
    }

    // MARK: - The shrink guard

    @Test("the guard refuses a loss past its share and its tolerance, never growth", arguments: [
        (309, 123, false), (309, 290, true), (309, 232, true), (309, 231, false), (8, 0, true), (40, 30, true),
        (40, 25, false), (0, 500, true), (1_000_000, 900_000, true), (1_000_000, 0, false),
    ])
    func guardRule(before: Int, after: Int, accepted: Bool) {
        let outcome = Result { () throws(FleetShrinkRefusal) in try FleetShrinkGuard.default.check(before: before, after: after) }
        if case .success = outcome { #expect(accepted) } else { #expect(!accepted) }
    }

    @Test func anIngestThatShrinksTheFleetIsRefusedUnlessTheGuardIsLifted() throws {
        let store = try ResourceStore.inMemory()
        try store.ingest(.bytes(F.fleetBytes(resources: 300)), manifest: F.manifest(), now: F.now, checks: .strict.withoutEndRecord)

        let refusal = try #require(throws: FleetShrinkRefusal.self) {
            try store.ingest(.bytes(F.fleetBytes(resources: 120)), manifest: F.manifest(), now: F.now, checks: .strict.withoutEndRecord)
        }
        #expect(refusal.description.hasPrefix("the new fleet has 120 resources where the store has 300 (60 % fewer"), "\(refusal)")
        #expect(try F.count("resource", in: store) == 300)

        try store.ingest(.bytes(F.fleetBytes(resources: 120)), manifest: F.manifest(), now: F.now)
        #expect(try F.count("resource", in: store) == 120)
    }

    static func sha256sum(_ data: Data) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(data)
        try input.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return String(text.prefix(64))
    }
}

extension IngestChecks {
    var withoutEndRecord: IngestChecks {
        var checks = self
        checks.requireEndRecord = false
        return checks
    }
}
