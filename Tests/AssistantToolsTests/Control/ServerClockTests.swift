import AssistantTools
import Fleet
import ResourceStore
import Testing

@Suite("server clock and action ids")
struct ServerClockTests {
    @Test("action times are RFC 3339 with milliseconds", arguments: [
        (Int64(1_795_860_000_000), "2026-11-28T10:00:00.000Z"),
        (1_795_860_000_250, "2026-11-28T10:00:00.250Z"),
        (1_795_860_059_999, "2026-11-28T10:00:59.999Z"),
        (-1, "1969-12-31T23:59:59.999Z"),
    ])
    func text(milliseconds: Int64, expected: String) {
        #expect(ServerClock.text(milliseconds: milliseconds) == expected)
    }

    @Test("a fixed clock reads the same time every time")
    func fixed() {
        let clock = ServerClock.fixed(DemoFleet.defaultNow)
        #expect(clock.milliseconds() == clock.milliseconds())
        #expect(clock.timestamp == DemoFleet.defaultNow)
        #expect(clock.seconds == Double(DemoFleet.defaultNow.secondsSince1970))
    }

    @Test("sequential ids count up; random ones do not repeat")
    func ids() {
        let sequence = IdentifierSource.sequential()
        #expect((0..<3).map { _ in sequence.make() } == ["act-000001", "act-000002", "act-000003"])
        let random = IdentifierSource.random
        let made = Set((0..<1000).map { _ in random.make() })
        #expect(made.count == 1000)
        #expect(made.allSatisfy { $0.count == 20 && $0.hasPrefix("act-") })
    }
}
