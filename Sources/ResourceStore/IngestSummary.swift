import Fleet
import Policy

/// What an ingest stored: counts per record kind and per resource type, and when.
package struct IngestSummary: Sendable, Hashable, CustomStringConvertible {
    /// Rows stored per record kind; a kind the snapshot did not have counts 0.
    package var recordCounts: [SnapshotRecordKind: Int]
    /// Resources stored per canonical type.
    package var resourceTypeCounts: [ResourceType: Int]
    /// When the snapshot says it was made, if it says.
    package var generatedAt: Timestamp?
    /// When it was ingested, from the injected clock.
    package var ingestedAt: Timestamp
    /// The source as recorded in `snapshotInfo`: a path, or a byte count.
    package var source: String
    package var format: SnapshotFormat
    /// Wall time from opening the source to the commit.
    package var elapsed: Duration

    package init(
        recordCounts: [SnapshotRecordKind: Int], resourceTypeCounts: [ResourceType: Int], generatedAt: Timestamp?,
        ingestedAt: Timestamp, source: String, format: SnapshotFormat, elapsed: Duration
    ) {
        self.recordCounts = recordCounts
        self.resourceTypeCounts = resourceTypeCounts
        self.generatedAt = generatedAt
        self.ingestedAt = ingestedAt
        self.source = source
        self.format = format
        self.elapsed = elapsed
    }

    /// Rows stored of `kind`.
    package func count(_ kind: SnapshotRecordKind) -> Int {
        recordCounts[kind] ?? 0
    }

    /// Resources stored of `type`.
    package func count(type: ResourceType) -> Int {
        resourceTypeCounts[type] ?? 0
    }

    /// Elapsed time in seconds, for printing.
    package var elapsedSeconds: Double {
        let (seconds, attoseconds) = elapsed.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// Several lines for people:
    ///
    /// ```
    /// ingested /srv/fleet.jsonl (jsonl, generated 2026-11-28T10:00:00Z) in 8.41 s
    ///   resources 1000000: vm 412000, system-container 98000, …
    ///   agents 120, connections 4, alerts 50000, recoveryPoints 200000, metricSamples 2000000
    /// ```
    package var description: String {
        let generated = generatedAt.map { ", generated \($0)" } ?? ""
        let seconds = (elapsedSeconds * 100).rounded() / 100
        let types = ResourceType.allCases.compactMap { type in
            resourceTypeCounts[type].map { "\(type.rawValue) \($0)" }
        }
        let others = SnapshotRecordKind.allCases.dropFirst().map { "\($0.documentKey) \(count($0))" }
        return """
            ingested \(source) (\(format.rawValue)\(generated)) in \(seconds) s
              resources \(count(.resource))\(types.isEmpty ? "" : ": " + types.joined(separator: ", "))
              \(others.joined(separator: ", "))
            """
    }
}
