import Fleet
import Testing

@Suite("Timestamp")
struct TimestampTests {
    @Test("RFC 3339 text parses to seconds and formats back", arguments: [
        ("1970-01-01T00:00:00Z", Int64(0)),
        ("2026-11-28T10:00:00Z", 1_795_860_000),
        ("2000-02-29T23:59:59Z", 951_868_799),
        ("1969-12-31T23:59:59Z", -1),
        ("2400-12-31T00:00:00Z", 13_601_001_600),
    ])
    func roundTrip(_ text: String, _ seconds: Int64) throws {
        let timestamp = try #require(Timestamp(text))
        #expect(timestamp.secondsSince1970 == seconds)
        #expect(timestamp.description == text)
    }

    @Test("fractions are dropped and offsets applied", arguments: [
        ("2026-11-28T10:00:00.123456Z", "2026-11-28T10:00:00Z"),
        ("2026-11-28T12:00:00+02:00", "2026-11-28T10:00:00Z"),
        ("2026-11-28T05:30:00-04:30", "2026-11-28T10:00:00Z"),
        ("2026-11-28t10:00:00z", "2026-11-28T10:00:00Z"),
    ])
    func normalises(_ text: String, _ expected: String) {
        #expect(Timestamp(text)?.description == expected)
    }

    @Test("anything else is not a timestamp", arguments: [
        "", "2026-11-28", "2026-11-28T10:00:00", "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z",
        "2026-11-28T24:00:00Z", "2026-11-28T10:00:00.Z", "2026-11-28T10:00:00+0200", "yesterday",
        "2026-11-28T10:00:00Zjunk", "２０２６-11-28T10:00:00Z",
    ])
    func rejects(_ text: String) {
        #expect(Timestamp(text) == nil)
    }
}
