import JSON

/// A whole fleet as canonical records, mapped from a source that is not a snapshot file: a running
/// Pulse server today.
///
/// The records have the snapshot's shape (DESIGN §3), so the store checks them with the same
/// ``SnapshotValidator`` an ingest uses. Unlike a snapshot, a batch is applied row by row: a record
/// the validator refuses is skipped and reported, the rest is written (real data is never rejected
/// wholesale).
///
/// What a source knows beyond the canonical fields travels in a resource's `details` object, which
/// the validator leaves free-form: for Pulse, `details.pulse` holds the aliases, `capabilities`,
/// `actionReadiness`, `metricsTarget` and the raw facets.
package struct FleetBatch: Sendable {
    /// When the source produced this state, if it says.
    package var generatedAt: Timestamp?
    /// Where it came from, for `snapshotInfo.source` and summaries (never a credential).
    package var source: String
    /// `resource` records (`id`, `type`, `platform`, `name`, `status`, …, `details`).
    package var resources: [JSONObject]
    /// Resources already checked where they were made (``FleetBatchChecker/checkResource(_:)``),
    /// each with its record's compact text: not validated again, and held without their trees.
    package var checkedResources: [IngestRow.Resource] = []
    /// `agent` records; a source that dispatches through its own server gives `pulse:` endpoints.
    package var agents: [JSONObject]
    /// `alert` records. An alert whose `resourceId` names no resource is kept and counted.
    package var alerts: [JSONObject]
    /// `recoveryPoint` records.
    package var recoveryPoints: [JSONObject]
    /// Other names a resource is known by (an alias → the canonical id); the ids themselves are not listed.
    package var aliases: [String: String]
    /// What the source offered and the mapping did not turn into a record, with the reason.
    package var skipped: [FleetSkip]
    /// The source could not show every resource at once (Pulse's pages kept changing while they were
    /// read): a resource, agent or alias the store keeps and this batch lacks may still exist, so it is
    /// kept, not deleted. The next complete batch deletes what really vanished.
    package var isPartial = false
    /// Resources the source recognised by their raw bytes as the rows the store keeps: no record of
    /// theirs is in ``resources``; the check confirms each against the store (``FleetRecognitionStale``
    /// when one does not match).
    package var recognised: [RecognisedResource] = []
    /// Every row of this batch the source can recognise next time, recognised or read: the store
    /// keeps those of the resources it keeps, and of the skips (``FleetRawRow``).
    package var rawRows: [FleetRawRow] = []
    /// The source recognised every row the store kept and read none (nothing new, changed or gone
    /// among the resources and their skips): the resources, their parents and the aliases they claim
    /// are those of the last sync, so the store keeps its aliases as they are instead of comparing
    /// them one by one. The store confirms it (every kept raw row recognised) before relying on it.
    package var resourcesAsKept = false
    /// Set when the source read some rows and recognised the rest: ``aliases`` settles only the names
    /// those rows touched, and the store keeps every other alias as it is (``FleetAliasScope``).
    package var aliasScope: FleetAliasScope?

    package init(
        generatedAt: Timestamp? = nil, source: String, resources: [JSONObject] = [], agents: [JSONObject] = [],
        alerts: [JSONObject] = [], recoveryPoints: [JSONObject] = [], aliases: [String: String] = [:],
        skipped: [FleetSkip] = []
    ) {
        self.generatedAt = generatedAt
        self.source = source
        self.resources = resources
        self.agents = agents
        self.alerts = alerts
        self.recoveryPoints = recoveryPoints
        self.aliases = aliases
        self.skipped = skipped
    }
}

/// The names a batch settles the aliases of, when the source recognised most rows as the store
/// keeps them: the names the rows it read claim now or claimed before, and their ids (now and
/// before). Any other name is claimed by recognised rows alone, unchanged, under unchanged parents,
/// so its alias is the one the store keeps.
package struct FleetAliasScope: Sendable, Hashable {
    package var names: Set<String>
    /// How many raw rows the store kept when the source took them for its walk: the store confirms
    /// it holds as many still (else another sync wrote between, and the scope says nothing).
    package var keptRawRows: Int

    package init(names: Set<String>, keptRawRows: Int) {
        self.names = names
        self.keptRawRows = keptRawRows
    }
}

/// A resource record ``FleetBatchChecker/checkResource(_:)`` refused: the skip that says why.
package struct FleetResourceRefusal: Error, Sendable {
    package var skip: FleetSkip
}

/// One row of a source that did not become a record, and why.
package struct FleetSkip: Sendable, Hashable {
    /// The kind of record it would have been.
    package var kind: SnapshotRecordKind
    /// The source's id for the row, when it has one.
    package var id: String?
    /// The source's type for the row (`docker-image`, `network`, …), when it has one.
    package var type: String?
    /// Why it was skipped: one sentence, naming the rule (e.g. "provider-local type, not a canonical projection").
    package var reason: String

    package init(kind: SnapshotRecordKind, id: String?, type: String?, reason: String) {
        self.kind = kind
        self.id = id
        self.type = type
        self.reason = reason
    }
}
