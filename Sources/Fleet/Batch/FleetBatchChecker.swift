import JSON
import Policy

/// Checks a ``FleetBatch`` record by record with the snapshot's ``SnapshotValidator``, keeping what
/// passes and reporting what does not: one bad row never costs the rest (unlike an ingest, where a
/// snapshot is all or nothing).
///
/// ```
/// resources   validate each · first of a repeated id wins
/// parents     a parent that is not kept, or that closes a cycle → the resource becomes a root
/// aliases     kept when they name a kept resource and are not themselves a resource id
/// agents      validate · the host must be a kept resource
/// alerts      validate · resourceId resolved through the aliases; unknown → kept, counted
/// recovery    validate · likewise
/// ```
package struct FleetBatchChecker {
    private var validator: SnapshotValidator
    /// At most this many validation errors are quoted in one skip's reason.
    static let errorsPerSkip = 3

    package init(manifest: PlatformSupportManifest) {
        validator = SnapshotValidator(manifest: manifest)
    }

    package mutating func check(_ batch: FleetBatch) -> CheckedFleet {
        var skipped = batch.skipped
        var resources = keptResources(batch.resources, skipped: &skipped)
        let ids = Set(resources.map(\.id))
        let detached = Self.detachParents(&resources, ids: ids)
        let aliases = batch.aliases
            .filter { ids.contains($0.value) && !ids.contains($0.key) && !$0.key.isEmpty }
            .sorted { $0.key < $1.key }
            .map { (alias: $0.key, resourceId: $0.value) }
        let resolve = Dictionary(uniqueKeysWithValues: aliases.map { ($0.alias, $0.resourceId) })
        func canonical(_ id: String) -> String? { ids.contains(id) ? id : resolve[id] }

        var agents: [IngestRow.Agent] = []
        var agentIds = Set<String>()
        for (index, object) in batch.agents.enumerated() {
            guard var row = validated(.agent, index, object, &skipped, { validator.agent(object, checker: $0) }) else { continue }
            guard let host = canonical(row.hostResourceId) else {
                skipped.append(FleetSkip(kind: .agent, id: row.id, type: nil, reason: "its host \(row.hostResourceId) is not in the fleet"))
                continue
            }
            row.hostResourceId = host
            if agentIds.insert(row.id).inserted { agents.append(row) }
        }

        var alerts: [IngestRow.Alert] = []
        var alertIds = Set<String>()
        var unjoinedAlerts = 0
        for (index, object) in batch.alerts.enumerated() {
            guard var row = validated(.alert, index, object, &skipped, { validator.alert(object, checker: $0) }),
                  alertIds.insert(row.id).inserted else { continue }
            if let id = canonical(row.resourceId) { row.resourceId = id } else { unjoinedAlerts += 1 }
            alerts.append(row)
        }

        var points: [IngestRow.RecoveryPoint] = []
        var pointIds = Set<String>()
        var unjoinedPoints = 0
        for (index, object) in batch.recoveryPoints.enumerated() {
            guard var row = validated(.recoveryPoint, index, object, &skipped, { validator.recoveryPoint(object, checker: $0) }),
                  pointIds.insert(row.id).inserted else { continue }
            if let id = canonical(row.resourceId) { row.resourceId = id } else { unjoinedPoints += 1 }
            points.append(row)
        }
        return CheckedFleet(
            generatedAt: batch.generatedAt, source: batch.source, resources: resources, agents: agents, alerts: alerts,
            recoveryPoints: points, aliases: aliases, skipped: skipped, unjoinedAlerts: unjoinedAlerts,
            unjoinedRecoveryPoints: unjoinedPoints, detachedResources: detached
        )
    }

    /// The valid resources, each id once (the first wins).
    private mutating func keptResources(_ objects: [JSONObject], skipped: inout [FleetSkip]) -> [IngestRow.Resource] {
        var rows: [IngestRow.Resource] = []
        rows.reserveCapacity(objects.count)
        var seen = Set<String>()
        for (index, object) in objects.enumerated() {
            let log = SnapshotErrorLog()
            let result = validator.resource(
                object, serialized: nil, checker: SnapshotChecker(location: .element(.resource, index), log: log)
            )
            guard let row = result.row else {
                skipped.append(Self.skip(.resource, object, log))
                continue
            }
            guard seen.insert(row.id).inserted else {
                skipped.append(FleetSkip(kind: .resource, id: row.id, type: row.type.rawValue, reason: "repeats the id of an earlier resource"))
                continue
            }
            rows.append(row)
        }
        return rows
    }

    /// Runs one record's validator with a log of its own; a refused record becomes a skip.
    private func validated<Row>(
        _ kind: SnapshotRecordKind, _ index: Int, _ object: JSONObject, _ skipped: inout [FleetSkip],
        _ validate: (SnapshotChecker) -> Row?
    ) -> Row? {
        let log = SnapshotErrorLog()
        if let row = validate(SnapshotChecker(location: .element(kind, index), log: log)), log.count == 0 {
            return row
        }
        skipped.append(Self.skip(kind, object, log))
        return nil
    }

    /// A skip naming the record by its id and type and quoting the first errors (paths and rules;
    /// a value is shown only as the validator shows it, masked for anything that looks secret).
    private static func skip(_ kind: SnapshotRecordKind, _ object: JSONObject, _ log: SnapshotErrorLog) -> FleetSkip {
        var reasons = log.errors.prefix(errorsPerSkip).map { error in
            error.path.split(separator: ".", maxSplits: 1).dropFirst().first.map { "\($0): \(error.rule)" } ?? error.rule
        }
        if log.count > errorsPerSkip { reasons.append("and \(log.count - errorsPerSkip) more") }
        return FleetSkip(
            kind: kind, id: object["id"]?.stringValue, type: object["type"]?.stringValue,
            reason: reasons.isEmpty ? "refused" : reasons.joined(separator: "; ")
        )
    }

    /// Makes a root of every resource whose parent is not kept or whose chain loops; returns how many.
    private static func detachParents(_ rows: inout [IngestRow.Resource], ids: Set<String>) -> Int {
        var detached = 0
        for index in rows.indices {
            if let parent = rows[index].parentId, !ids.contains(parent) || parent == rows[index].id {
                rows[index].parentId = nil
                detached += 1
            }
        }
        let position = Dictionary(uniqueKeysWithValues: rows.enumerated().map { ($0.element.id, $0.offset) })
        // 0 unvisited, 1 on the current path, 2 done: a chain met again while on the path is a cycle.
        var state = [UInt8](repeating: 0, count: rows.count)
        for start in rows.indices where state[start] == 0 {
            var path: [Int] = []
            var current: Int? = start
            while let index = current, state[index] == 0 {
                state[index] = 1
                path.append(index)
                current = rows[index].parentId.flatMap { position[$0] }
            }
            if let index = current, state[index] == 1 {
                rows[index].parentId = nil
                detached += 1
            }
            for index in path { state[index] = 2 }
        }
        return detached
    }
}
