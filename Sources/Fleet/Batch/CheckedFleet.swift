/// A ``FleetBatch`` after every record has been checked: the rows to store, and what was left out.
///
/// Everything here is consistent on its own: ids are unique, every parent, agent host and alias
/// target is a kept resource, and parent chains have no cycle. Alerts and recovery points whose
/// resource is not in the fleet are kept (real data is never dropped silently) and counted.
package struct CheckedFleet: Sendable {
    package var generatedAt: Timestamp?
    package var source: String
    /// The resources to write: every kept one, less those found unchanged since the last sync.
    package var resources: [IngestRow.Resource]
    /// Kept resources whose record and parent are as the store holds them from the last sync (their
    /// kept hash matched): neither validated again nor rewritten.
    package var unchangedResources: [UnchangedResource] = []
    package var agents: [IngestRow.Agent]
    package var alerts: [IngestRow.Alert]
    package var recoveryPoints: [IngestRow.RecoveryPoint]
    /// alias → kept resource id, sorted by alias.
    package var aliases: [(alias: String, resourceId: String)]
    /// The source's own skips and the checker's, in the order found.
    package var skipped: [FleetSkip]
    /// Alerts kept whose `resourceId` names no resource and no alias.
    package var unjoinedAlerts: Int
    /// Recovery points kept whose resource is not in the fleet.
    package var unjoinedRecoveryPoints: Int
    /// Resources whose parent was not in the fleet (or closed a cycle): kept as roots.
    package var detachedResources: Int
    /// What a resource's kept hash is salted with besides its content: the fingerprint of the
    /// manifest that checked it (``FleetBatchChecker/fingerprint``).
    package var hashSalt: String = ""
    /// ``FleetBatch/isPartial``: resources, agents and aliases missing from it are kept.
    package var isPartial = false
    /// Resources the source recognised by their raw bytes and the store confirmed unchanged (they
    /// are among ``unchangedResources``).
    package var recognisedResources = 0
    /// Resources the source recognised by raw bytes that the store does not keep as they were: the
    /// batch lacks their records, so a sync of this fleet refuses to write (``FleetRecognitionStale``).
    package var staleRecognitions = 0
    /// The raw rows to keep for the next walk: those of the kept resources, and of the source's skips.
    package var rawRows: [FleetRawRow] = []
    /// ``FleetBatch/resourcesAsKept``, confirmed: ``aliases`` is empty and the stored ones stay as they are.
    package var aliasesAsKept = false
    /// ``FleetBatch/aliasScope``'s names: ``aliases`` holds what they settle to, and only they are
    /// compared with the stored aliases.
    package var aliasScope: Set<String>?

    /// How many resources the fleet keeps, written or unchanged.
    package var resourceCount: Int { resources.count + unchangedResources.count }

    /// How many resources of each canonical type and platform were kept, sorted.
    package var resourceCounts: [(type: String, platform: String, count: Int)] {
        var counts: [String: [String: Int]] = [:]
        for row in resources {
            counts[row.type.rawValue, default: [:]][row.platform, default: 0] += 1
        }
        for row in unchangedResources {
            counts[row.type, default: [:]][row.platform, default: 0] += 1
        }
        return counts.sorted { $0.key < $1.key }.flatMap { type, platforms in
            platforms.sorted { $0.key < $1.key }.map { (type: type, platform: $0.key, count: $0.value) }
        }
    }
}

/// A resource as the store keeps it from an earlier sync: what a check needs to recognise it
/// unchanged (its kept hash and parent) and to count it (its type and platform) without reading
/// its record.
package struct UnchangedResource: Sendable, Hashable {
    package var id: String
    package var type: String
    package var platform: String
    package var parentId: String?
    /// The content hash the last sync kept for it (`syncedRow.hash`).
    package var hash: String

    package init(id: String, type: String, platform: String, parentId: String?, hash: String) {
        self.id = id
        self.type = type
        self.platform = platform
        self.parentId = parentId
        self.hash = hash
    }
}
