/// A ``FleetBatch`` after every record has been checked: the rows to store, and what was left out.
///
/// Everything here is consistent on its own: ids are unique, every parent, agent host and alias
/// target is a kept resource, and parent chains have no cycle. Alerts and recovery points whose
/// resource is not in the fleet are kept (real data is never dropped silently) and counted.
package struct CheckedFleet: Sendable {
    package var generatedAt: Timestamp?
    package var source: String
    package var resources: [IngestRow.Resource]
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

    /// How many resources of each canonical type and platform were kept, sorted.
    package var resourceCounts: [(type: String, platform: String, count: Int)] {
        var counts: [String: [String: Int]] = [:]
        for row in resources {
            counts[row.type.rawValue, default: [:]][row.platform, default: 0] += 1
        }
        return counts.sorted { $0.key < $1.key }.flatMap { type, platforms in
            platforms.sorted { $0.key < $1.key }.map { (type: type, platform: $0.key, count: $0.value) }
        }
    }
}
