/// RFC 3339 text for the demo fleet's instants, the same as `Timestamp.description` but cheaper.
///
/// A million-resource fleet writes about three million timestamps, and nearly all of them fall in
/// the few weeks before `now`. The formatter keeps the `YYYY-MM-DDT` prefix of each of those days
/// and appends `HH:MM:SSZ` from a two-digit table; anything outside the window falls back to
/// `Timestamp.description`. A test holds the two equal.
struct DemoFleetTimeFormatter: Sendable {
    /// Days covered before `now`'s day (recovery points go back about three weeks).
    static let windowDays: Int64 = 40

    private let firstDay: Int64
    private let dayPrefixes: [[UInt8]]
    /// `00`, `01`, … `99`, two bytes each.
    private static let twoDigits: [UInt8] = {
        var digits: [UInt8] = []
        for value in 0..<100 {
            let tens: Int = value / 10
            let units: Int = value % 10
            digits.append(UInt8(48 + tens))
            digits.append(UInt8(48 + units))
        }
        return digits
    }()

    init(now: Timestamp) {
        let today = Self.day(of: now.secondsSince1970)
        firstDay = today - Self.windowDays
        dayPrefixes = (firstDay...(today + 1)).map { day in
            Array(Timestamp(secondsSince1970: day * 86_400).description.utf8.prefix(11))
        }
    }

    /// Appends the 20 bytes of `2026-11-28T09:59:30Z`.
    func append(_ second: Int64, to output: inout [UInt8]) {
        let day = Self.day(of: second)
        let slot = day - firstDay
        guard slot >= 0, slot < Int64(dayPrefixes.count) else {
            output.append(contentsOf: Timestamp(secondsSince1970: second).description.utf8)
            return
        }
        output.append(contentsOf: dayPrefixes[Int(slot)])
        let secondOfDay = Int(second - day * 86_400)
        appendTwoDigits(secondOfDay / 3_600, to: &output)
        output.append(UInt8(ascii: ":"))
        appendTwoDigits(secondOfDay % 3_600 / 60, to: &output)
        output.append(UInt8(ascii: ":"))
        appendTwoDigits(secondOfDay % 60, to: &output)
        output.append(UInt8(ascii: "Z"))
    }

    /// The text as a `String`, for ids that embed an instant.
    func string(_ second: Int64) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(20)
        append(second, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private func appendTwoDigits(_ value: Int, to output: inout [UInt8]) {
        output.append(Self.twoDigits[value * 2])
        output.append(Self.twoDigits[value * 2 + 1])
    }

    /// The day number of `second`, flooring for instants before 1970.
    private static func day(of second: Int64) -> Int64 {
        second >= 0 ? second / 86_400 : (second - 86_399) / 86_400
    }
}
