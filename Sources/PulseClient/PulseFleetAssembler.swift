import Fleet
import JSON
import Policy

/// Gathers the rows of one walk and turns them into one ``FleetBatch``: each resource id once
/// (the last copy seen wins), aliases settled, alerts and recovery points joined.
///
/// Rows are mapped as they arrive, so a walk holds mapped records, not pages. Nothing is dropped
/// silently: what is not a record is a ``FleetSkip``; an alert or recovery point whose resource
/// is not among the synced ones is kept with Pulse's id and counted.
package struct PulseFleetAssembler {
    private var mapping: PulseMapping
    private var positions: [String: Int] = [:]
    private var outcomes: [PulseMappingOutcome<PulseMappedResource>] = []
    private var anonymous: [FleetSkip] = []

    package init(manifest: PlatformSupportManifest) {
        mapping = PulseMapping(manifest: manifest)
    }

    /// How many distinct rows were added (mapped or skipped).
    package var rowCount: Int { outcomes.count + anonymous.count }

    /// Maps one `/api/resources` row and keeps it, replacing an earlier row with its id.
    /// - Returns: the row's id, when it has one.
    @discardableResult
    package mutating func addResource(_ value: JSONValue) -> String? {
        let outcome = mapping.resource(value)
        let id: String? = switch outcome {
        case .record(let resource): resource.id
        case .skip(let skip): skip.id
        }
        guard let id else {
            if let skip = outcome.skip { anonymous.append(skip) }
            return nil
        }
        if let position = positions[id] {
            outcomes[position] = outcome
        } else {
            positions[id] = outcomes.count
            outcomes.append(outcome)
        }
        return id
    }

    /// Adds the rows of an earlier walk whose ids this one did not see: the union of two walks
    /// that both changed under them, each id once, this walk's copy winning.
    package mutating func absorb(_ earlier: PulseFleetAssembler) {
        for outcome in earlier.outcomes {
            let id: String? = switch outcome {
            case .record(let resource): resource.id
            case .skip(let skip): skip.id
            }
            guard let id, positions[id] == nil else { continue }
            positions[id] = outcomes.count
            outcomes.append(outcome)
        }
    }

    /// The batch: resources and their agents, alerts and recovery points joined through the aliases.
    package mutating func finish(
        alerts: [JSONValue], recoveryPoints: [JSONValue], source: String
    ) -> (batch: FleetBatch, counts: PulseJoinCounts) {
        var counts = PulseJoinCounts()
        var resources = outcomes.compactMap(\.record)
        var skipped = outcomes.compactMap(\.skip) + anonymous
        var index: [String: Int32] = [:]
        index.reserveCapacity(resources.count)
        for (position, resource) in resources.enumerated() { index[resource.id] = Int32(position) }
        var parents = [Int32](repeating: -1, count: resources.count)
        for position in resources.indices {
            guard let parent = resources[position].parentId else { continue }
            if let found = index[parent], found != Int32(position) {
                parents[position] = found
            } else {
                Self.unlinkParent(&resources[position], parent)
                counts.parentsNotSynced += 1
            }
        }
        let aliases = PulseAliasIndex(resources: resources, parents: parents)
        counts.ambiguousAliases = aliases.ambiguousCount
        func join(_ record: inout JSONObject, unjoined: inout Int) {
            guard let named = record.text("resourceId"), index[named] == nil else { return }
            if let canonical = aliases.resolve(named) {
                record["resourceId"] = .string(canonical)
            } else {
                unjoined += 1
            }
        }
        var alertRecords = Self.unique(alerts.map(PulseMapping.alert), skipped: &skipped)
        for position in alertRecords.indices { join(&alertRecords[position], unjoined: &counts.unjoinedAlerts) }
        var pointRecords = Self.unique(recoveryPoints.map { mapping.recoveryPoint($0) }, skipped: &skipped)
        for position in pointRecords.indices { join(&pointRecords[position], unjoined: &counts.unjoinedRecoveryPoints) }
        let agents = Self.unique(resources.compactMap(\.agent).map { .record($0) }, skipped: &skipped)
        let batch = FleetBatch(
            source: source, resources: resources.map(\.record), agents: agents, alerts: alertRecords,
            recoveryPoints: pointRecords, aliases: aliases.ids, skipped: skipped
        )
        return (batch, counts)
    }

    /// Records by id, each once, the last one seen winning but keeping the first one's place.
    private static func unique(
        _ outcomes: [PulseMappingOutcome<JSONObject>], skipped: inout [FleetSkip]
    ) -> [JSONObject] {
        var positions: [String: Int] = [:]
        var records: [JSONObject] = []
        for outcome in outcomes {
            switch outcome {
            case .skip(let skip):
                skipped.append(skip)
            case .record(let record):
                let id = record.text("id") ?? ""
                if let position = positions[id] {
                    records[position] = record
                } else {
                    positions[id] = records.count
                    records.append(record)
                }
            }
        }
        return records
    }

    /// Drops a parent that is not among the synced resources (a skipped type, a row that moved
    /// out of the walk), keeping it as `details.pulse.unsyncedParentId`: a dangling parent would
    /// cost the child its place in the store.
    private static func unlinkParent(_ resource: inout PulseMappedResource, _ parent: String) {
        resource.parentId = nil
        resource.record["parentId"] = nil
        guard var details = resource.record.object("details"), var pulse = details.object("pulse") else { return }
        pulse["unsyncedParentId"] = .string(parent)
        details["pulse"] = .object(pulse)
        resource.record["details"] = .object(details)
    }
}

/// What the join of one sync could not settle.
package struct PulseJoinCounts: Sendable, Hashable {
    /// Alerts whose `resourceId` is neither a synced id nor an alias of one (kept with Pulse's id).
    package var unjoinedAlerts = 0
    /// Recovery points whose subject is not a synced resource (kept with Pulse's id).
    package var unjoinedRecoveryPoints = 0
    /// Aliases two unrelated resources claim equally, so that they join nothing.
    package var ambiguousAliases = 0
    /// Resources whose parent is not among the synced ones (the link is kept under `details.pulse`).
    package var parentsNotSynced = 0

    package init() {}
}
