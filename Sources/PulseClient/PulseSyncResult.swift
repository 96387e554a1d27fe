import Fleet

/// What one walk of a Pulse server produced: the fleet, and how the walk went.
package struct PulseSyncResult: Sendable {
    /// The canonical records, for the store's writer.
    package var batch: FleetBatch
    package var stats: PulseWalkStats

    package init(batch: FleetBatch, stats: PulseWalkStats) {
        self.batch = batch
        self.stats = stats
    }
}

/// The cost and the consistency of one walk, for the sync summary and the benchmark.
package struct PulseWalkStats: Sendable, Hashable {
    /// Pages of `/api/resources` read, over every pass.
    package var resourcePages = 0
    /// Answers of `/api/alerts/active` read (one: the route is not paged).
    package var alertPages = 0
    /// Pages of `/api/recovery/points` read.
    package var recoveryPages = 0
    /// Resource rows read, over every pass (a row read twice counts twice here, and once in the batch).
    package var resourceRows = 0
    /// Body bytes received.
    package var bytes = 0
    /// Wall time of the walk, from the injected clock.
    package var seconds = 0.0
    /// Walks of `/api/resources` begun again from page 1 because the pages changed under the walk.
    package var rewalks = 0
    /// Whether the pages changed under the re-walk too: the batch is then the union of both walks,
    /// each id once, the last copy seen winning, and the next sync settles what moved.
    package var churnDetected = false
    /// Resource rows recognised by their raw bytes as rows the store keeps: neither parsed nor
    /// mapped (over the walk whose batch this is).
    package var recognisedRows = 0
    /// Resource rows parsed and mapped (over the walk whose batch this is).
    package var parsedRows = 0
    /// Walks of `/api/resources` made again with every row read, because rows recognised by their
    /// bytes stood for records this fleet could not reuse (a parent appeared or vanished).
    package var recognitionRewalks = 0
    /// What the join could not settle (unjoined alerts and recovery points, ambiguous aliases).
    package var join = PulseJoinCounts()
    /// When the walk read some rows and recognised the rest: how many names it settled the aliases
    /// of (those the rows read touched; ``Fleet/FleetAliasScope``). Nil when it settled every name,
    /// or none (every row recognised).
    package var aliasNamesSettled: Int?

    package init() {}

    /// Alerts kept with Pulse's `resourceId` because it names no synced resource.
    package var unjoinedAlerts: Int { join.unjoinedAlerts }
}
