import Fleet

/// What one sync wrote: for each kind of row, how many were added, rewritten, removed and left as
/// they were; what was skipped; and what was kept but joins nothing.
package struct SyncSummary: Sendable {
    package struct Counts: Sendable, Hashable {
        package var added = 0
        package var changed = 0
        package var removed = 0
        package var unchanged = 0
        /// Kept rows a partial fleet (``Fleet/FleetBatch/isPartial``) lacked: not deleted.
        package var keptUnseen = 0

        package init(added: Int = 0, changed: Int = 0, removed: Int = 0, unchanged: Int = 0, keptUnseen: Int = 0) {
            self.added = added
            self.changed = changed
            self.removed = removed
            self.unchanged = unchanged
            self.keptUnseen = keptUnseen
        }

        /// Rows written (added, changed or removed).
        package var written: Int { added + changed + removed }
    }

    /// Per kind: `resource`, `agent`, `alert`, `recoveryPoint`, `alias`.
    package var counts: [String: Counts]
    /// Kept resources by canonical type and platform, sorted.
    package var resourceCounts: [(type: String, platform: String, count: Int)]
    package var skipped: [FleetSkip]
    package var unjoinedAlerts: Int
    package var unjoinedRecoveryPoints: Int
    package var detachedResources: Int
    /// Whether the sync replaced the store's content wholesale (a first sync, or one after an ingest).
    package var replacedAll: Bool
    package var elapsed: Duration
    /// Resources the source recognised by their raw bytes (neither parsed nor mapped nor checked
    /// again), confirmed unchanged: part of `counts["resource"].unchanged`.
    package var recognisedResources = 0
    /// Source rows kept for the next walk to recognise (``Fleet/FleetRawRow``): written (read this
    /// time) and deleted (not met by a complete walk). Bookkeeping, not part of the fleet's counts.
    package var rawRowsWritten = 0
    package var rawRowsRemoved = 0

    /// Whether anything at all was written.
    package var changedAnything: Bool { counts.values.contains { $0.written > 0 } }

    /// How many rows of every kind were written.
    package var rowsWritten: Int { counts.values.reduce(0) { $0 + $1.written } }
}
