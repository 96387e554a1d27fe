import Foundation
import JSON
import Testing

@testable import Fleet

/// The two snapshot forms, the fast writer path, and scaling.
@Suite struct DemoFleetFormatTests {
    @Test func theDocumentAndTheJSONLinesHoldTheSameRecords() throws {
        // Given both forms of one fleet
        let fleet = DemoFleet(seed: 3, scale: 2)
        let lines = try DemoFleetFixture.lines(DemoFleetFixture.jsonLines(fleet))
        let document = try #require(JSONParser.parse(DemoFleetFixture.jsonDocument(fleet)).objectValue)
        // Then the document's members are the lines, in order, grouped under their arrays
        #expect(document.keys == ["generatedAt"] + DemoFleet.documentSections)
        let generatedAt: JSONValue = .object(JSONObject([("generatedAt", document["generatedAt"] ?? .null)]))
        #expect(lines.first == generatedAt)
        let sections = ["resource": "resources", "agent": "agents", "connection": "connections", "alert": "alerts",
                        "recoveryPoint": "recoveryPoints", "metricSample": "metricSamples"]
        var fromLines: [String: [JSONValue]] = [:]
        for line in lines.dropFirst() {
            let (key, value) = try #require(line.objectValue.flatMap { $0.count == 1 ? $0.first { _ in true } : nil })
            fromLines[sections[key] ?? key, default: []].append(value)
        }
        for section in sections.values {
            #expect(document[section]?.arrayValue == fromLines[section, default: []], "\(section)")
        }
    }

    @Test(arguments: [1, 2])
    func theFastWriterPathMatchesTheSerializer(scale: Int) {
        // Every item, written directly, is byte for byte what JSONSerializer makes of its record.
        let fleet = DemoFleet(seed: 5, scale: scale)
        let time = DemoFleetTimeFormatter(now: fleet.now)
        var mismatches = 0
        fleet.items { item in
            var fast: [UInt8] = []
            item.appendJSONLine(to: &fast, time: time)
            if fast != JSONSerializer.bytes(item.record.jsonLine) { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }

    @Test(arguments: [
        "2026-11-28T10:00:00Z", "2026-11-28T00:00:00Z", "2026-11-27T23:59:59Z", "2026-10-01T12:34:56Z",
        "2025-01-01T00:00:00Z", "2027-03-01T05:06:07Z", "1969-12-31T23:59:59Z", "2024-02-29T12:00:00Z",
    ])
    func theTimeFormatterAgreesWithTimestamp(text: String) throws {
        let instant = try #require(Timestamp(text))
        let formatter = DemoFleetTimeFormatter(now: DemoFleet.defaultNow)
        #expect(formatter.string(instant.secondsSince1970) == text)
    }

    @Test(arguments: [Int64.min + 1, -1, 0, 7, 10, 1_000_000_007, Int64.max])
    func integersAreWrittenAsTheSerializerWritesThem(value: Int64) {
        var bytes: [UInt8] = []
        JSONSerializer.appendInteger(value, to: &bytes)
        #expect(bytes == JSONSerializer.bytes(.integer(value)))
    }

    @Test(arguments: ["plain", "quote \" and \\ back", "line\nbreak\ttab\r", "\u{01}\u{1F}", "naïve ☃"])
    func stringsAreEscapedAsTheSerializerEscapesThem(text: String) {
        var bytes: [UInt8] = []
        JSONSerializer.appendString(text, to: &bytes)
        #expect(bytes == JSONSerializer.bytes(.string(text)))
    }

    @Test func scaleGrowsEveryKindProportionally() {
        // Given the counts per (platform, type) at scale 1 and 10
        func counts(_ scale: Int) -> [String: Int] {
            var counts: [String: Int] = [:]
            for resource in DemoFleetFixture.resources(scale: scale) {
                counts["\(resource["platform"] ?? nil)/\(resource["type"] ?? nil)", default: 0] += 1
            }
            return counts
        }
        let one = counts(1)
        let ten = counts(10)
        // Then every kind is there, about ten times over (sites draw their own counts)
        #expect(Set(one.keys) == Set(ten.keys))
        for (kind, count) in one {
            let ratio = Double(ten[kind, default: 0]) / Double(count)
            #expect((6.0...14.0).contains(ratio), "\(kind): \(count) → \(ten[kind, default: 0])")
        }
        #expect(DemoFleet(scale: 10).resourceCount == ten.values.reduce(0, +))
    }

    @Test(arguments: [(0, 1), (1, 1), (300, 1), (1_000, 3), (100_000, 330), (1_000_000, 3_300)])
    func scaleForAResourceCount(count: Int, scale: Int) {
        #expect(DemoFleet.scale(forResourceCount: count) == scale)
    }

    @Test func theGeneratorIsSplitMix64() {
        // The reference sequence of SplitMix64 seeded with 0 (Vigna's splitmix64.c).
        var random = DemoFleetRandom(seed: 0)
        #expect(random.next() == 0xE220_A839_7B1D_CDAF)
        #expect(random.next() == 0x6E78_9E6A_A1B9_65F4)
        var bounded = DemoFleetRandom.keyed(1, 2, 3, 4)
        #expect((0..<1_000).allSatisfy { _ in (3...9).contains(bounded.int(in: 3...9)) })
    }
}
