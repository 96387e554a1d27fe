/// A point on the monotonic clock by which a blocking step must end.
///
/// Every wait in this module is one `poll(2)` with the time that remains, so
/// no loop spins and no step outlives its deadline by more than a scheduling
/// delay.
struct Deadline: Sendable {
    /// Nil means no deadline.
    private let instant: ContinuousClock.Instant?

    static let never = Deadline(instant: nil)

    static func after(_ duration: Duration) -> Deadline {
        Deadline(instant: .now + duration)
    }

    static func at(_ instant: ContinuousClock.Instant) -> Deadline {
        Deadline(instant: instant)
    }

    var hasPassed: Bool {
        instant.map { $0 <= .now } ?? false
    }

    /// The `poll(2)` timeout: milliseconds left, rounded up so a wait never ends early; -1 without a deadline.
    var pollTimeout: Int32 {
        guard let instant else { return -1 }
        let remaining = instant - .now
        guard remaining > .zero else { return 0 }
        return Int32(clamping: remaining.roundedUpMilliseconds)
    }
}

extension Duration {
    /// The duration in whole milliseconds, rounded up.
    var roundedUpMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        let perMillisecond: Int64 = 1_000_000_000_000_000
        let (millis, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        guard !overflow else { return seconds < 0 ? .min : .max }
        return millis.addingReportingOverflow((attoseconds + perMillisecond - 1) / perMillisecond).partialValue
    }

    /// The duration in whole milliseconds, rounded down, for messages.
    var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        let (millis, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        guard !overflow else { return seconds < 0 ? .min : .max }
        return millis.addingReportingOverflow(attoseconds / 1_000_000_000_000_000).partialValue
    }
}
