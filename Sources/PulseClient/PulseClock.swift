/// Where a walk reads the time it took, injected so that tests and replays report fixed seconds.
///
/// A monotonic reading in seconds from an arbitrary origin: only differences mean anything.
package struct PulseClock: Sendable {
    private let read: @Sendable () -> Double

    package init(reading read: @escaping @Sendable () -> Double) {
        self.read = read
    }

    /// Seconds since an arbitrary, fixed origin.
    package func now() -> Double { read() }

    /// The process's monotonic clock.
    package static var system: PulseClock {
        let clock = ContinuousClock()
        let origin = clock.now
        return PulseClock {
            let elapsed = origin.duration(to: clock.now)
            return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        }
    }

    /// A clock that reads `start`, then `start + step`, `start + 2·step`, … on each reading.
    package static func stepping(from start: Double = 0, by step: Double) -> PulseClock {
        let counter = PulseCounter()
        return PulseClock { start + step * Double(counter.next()) }
    }
}
