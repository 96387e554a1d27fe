import Foundation
import JSON
import Testing

@testable import Fleet

/// Shared demo fleets for the DemoFleet tests, generated once per process.
enum DemoFleetFixture {
    /// Every record of the seed-1 fleet at scale 1.
    static let records: [DemoRecord] = records(DemoFleet())

    /// The resource objects of ``records``.
    static let resources: [JSONObject] = objects("resource", in: records)

    static func records(_ fleet: DemoFleet) -> [DemoRecord] {
        var records: [DemoRecord] = []
        fleet.records { records.append($0) }
        return records
    }

    static func resources(scale: Int) -> [JSONObject] {
        scale == 1 ? resources : objects("resource", in: records(DemoFleet(scale: scale)))
    }

    /// The objects of the records whose key is `key`.
    static func objects(_ key: String, in records: [DemoRecord] = records) -> [JSONObject] {
        records.filter { $0.key == key }.compactMap(\.object)
    }

    /// The JSON Lines file of `fleet`, written through the real writer to a temporary file.
    static func jsonLines(_ fleet: DemoFleet) throws -> Data {
        try written(fleet) { try $0.writeJSONLines(to: $1) }
    }

    /// The one-document file of `fleet`.
    static func jsonDocument(_ fleet: DemoFleet) throws -> Data {
        try written(fleet) { try $0.writeJSON(to: $1) }
    }

    private static func written(_ fleet: DemoFleet, _ write: (DemoFleet, String) throws -> Void) throws -> Data {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("demo-fleet-\(UInt64.random(in: 0...UInt64.max)).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try write(fleet, path)
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    /// Parses each line of a JSON Lines file.
    static func lines(_ data: Data) throws -> [JSONValue] {
        try data.split(separator: UInt8(ascii: "\n")).map { try JSONParser.parse($0) }
    }
}

/// The fixture itself: what every other DemoFleet test leans on.
@Suite struct DemoFleetFixtureTests {
    @Test func theFixtureHoldsEveryKindOfRecord() {
        let keys = Set(DemoFleetFixture.records.map(\.key))
        #expect(keys == ["generatedAt", "resource", "agent", "connection", "alert", "recoveryPoint", "metricSample"])
        #expect(DemoFleetFixture.records.first == .generatedAt(DemoFleet.defaultNow))
    }

    @Test func recordsComeInSnapshotOrder() {
        let order = ["generatedAt", "resource", "agent", "connection", "alert", "recoveryPoint", "metricSample"]
        let positions = DemoFleetFixture.records.compactMap { order.firstIndex(of: $0.key) }
        #expect(positions == positions.sorted())
    }
}
