import Fleet
import Foundation
import ResourceStore
import Synchronization

/// The server's clock, injected so that a recorded session replays with the same times.
package struct ServerClock: Sendable {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    package let milliseconds: @Sendable () -> Int64

    package init(milliseconds: @escaping @Sendable () -> Int64) {
        self.milliseconds = milliseconds
    }

    /// The wall clock.
    package static let system = ServerClock { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }

    /// A clock that always reads `time`: replays and tests.
    package static func fixed(_ time: Timestamp) -> ServerClock {
        let reading = time.secondsSince1970 * 1000
        return ServerClock { reading }
    }

    /// The reading in seconds, as the policy and the store's times count.
    package var seconds: Double { Double(milliseconds()) / 1000 }

    /// The reading to the second.
    package var timestamp: Timestamp { Timestamp(secondsSince1970: milliseconds() / 1000) }

    /// `2026-11-28T10:00:00.250Z`: RFC 3339 with milliseconds, for action times.
    package static func text(milliseconds: Int64) -> String {
        let seconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
        let fraction = milliseconds - seconds * 1000
        var text = Timestamp(secondsSince1970: seconds).description
        text.removeLast()
        return text + "." + String(String(fraction + 1000).dropFirst()) + "Z"
    }
}

/// Where action ids come from: random for a live server, a sequence for replays and tests.
package struct IdentifierSource: Sendable {
    private let next: @Sendable () -> String

    package init(next: @escaping @Sendable () -> String) {
        self.next = next
    }

    package func make() -> String { next() }

    /// `act-` and 16 random hex digits.
    package static let random = IdentifierSource {
        var generator = SystemRandomNumberGenerator()
        let value = generator.next() as UInt64
        let hex = String(value, radix: 16)
        return "act-" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// `act-000001`, `act-000002`, …: the same ids in the same order on every run.
    package static func sequential(prefix: String = "act-") -> IdentifierSource {
        let counter = Mutex(0)
        return IdentifierSource {
            let value = counter.withLock { count in
                count += 1
                return count
            }
            let digits = String(value)
            return prefix + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
        }
    }
}
