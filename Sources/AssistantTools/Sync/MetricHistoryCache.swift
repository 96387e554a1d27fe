import Fleet
import Synchronization

/// Metric history fetched from a ``MetricHistorySource``, kept for one sync interval per (target,
/// metric, range): an assistant asking again about the same resource is answered without another
/// round trip, and never with data older than the fleet's.
package final class MetricHistoryCache: Sendable {
    private let source: any MetricHistorySource
    private let lifetime: Int64
    private let clock: ServerClock
    private let entries = Mutex<[Key: Entry]>([:])
    /// At most this many series are kept; the oldest go first.
    static let capacity = 256

    private struct Key: Hashable {
        var resourceType: String
        var resourceId: String
        var metric: String
        var range: String
    }

    private struct Entry {
        var fetchedAt: Int64
        var samples: [(at: Timestamp, value: Double)]
    }

    package init(source: any MetricHistorySource, lifetime: Duration, clock: ServerClock) {
        self.source = source
        self.lifetime = lifetime.components.seconds * 1000
        self.clock = clock
    }

    /// The server clock's reading: where a range without an end stops.
    package var now: Timestamp { clock.timestamp }

    /// Pulse's range names, shortest first, with their length in seconds.
    static let ranges: [(name: String, seconds: Int64)] = [
        ("1h", 3_600), ("6h", 21_600), ("12h", 43_200), ("24h", 86_400), ("7d", 604_800), ("30d", 2_592_000), ("90d", 7_776_000),
    ]

    /// The shortest range reaching back from `now` to `since` (the longest when none does).
    static func range(since: Timestamp, now: Timestamp) -> String {
        let needed = now.secondsSince1970 - since.secondsSince1970
        return (ranges.first { $0.seconds >= needed } ?? ranges[ranges.count - 1]).name
    }

    package func history(
        resourceType: String, resourceId: String, metric: String, range: String, maxPoints: Int
    ) async throws -> [(at: Timestamp, value: Double)] {
        let key = Key(resourceType: resourceType, resourceId: resourceId, metric: metric, range: range)
        let now = clock.milliseconds()
        if let entry = entries.withLock({ $0[key] }), now - entry.fetchedAt < lifetime {
            return entry.samples
        }
        let samples = try await source.history(
            resourceType: resourceType, resourceId: resourceId, metric: metric, range: range, maxPoints: maxPoints
        )
        entries.withLock { entries in
            if entries.count >= Self.capacity, let oldest = entries.min(by: { $0.value.fetchedAt < $1.value.fetchedAt }) {
                entries[oldest.key] = nil
            }
            entries[key] = Entry(fetchedAt: now, samples: samples)
        }
        return samples
    }
}
