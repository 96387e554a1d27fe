import Crypto
import Foundation
import JSON
import Policy

/// Checks a ``FleetBatch`` record by record with the snapshot's ``SnapshotValidator``, keeping what
/// passes and reporting what does not: one bad row never costs the rest (unlike an ingest, where a
/// snapshot is all or nothing).
///
/// ```
/// resources   validate each · first of a repeated id wins · one the store keeps unchanged (its
///             kept hash matches) is not validated again
/// parents     a parent that is not kept, or that closes a cycle → the resource becomes a root
/// aliases     kept when they name a kept resource and are not themselves a resource id
/// agents      validate · the host must be a kept resource
/// alerts      validate · resourceId resolved through the aliases; unknown → kept, counted
/// recovery    validate · likewise
/// ```
package struct FleetBatchChecker {
    private var validator: SnapshotValidator
    /// The manifest the records are checked against, as 16 hex digits of SHA-256 over its sorted
    /// JSON: a resource's kept hash includes it (``CheckedFleet/hashSalt``), so that a record kept
    /// under another manifest is validated again rather than recognised unchanged.
    package let fingerprint: String
    /// At most this many validation errors are quoted in one skip's reason.
    static let errorsPerSkip = 3

    package init(manifest: PlatformSupportManifest) {
        validator = SnapshotValidator(manifest: manifest)
        fingerprint = Self.fingerprint(of: manifest)
    }

    private static func fingerprint(of manifest: PlatformSupportManifest) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(manifest)) ?? Data()
        return SHA256.hash(data: data).prefix(8).map { byte in
            String(byte >> 4, radix: 16) + String(byte & 0x0F, radix: 16)
        }.joined()
    }

    package mutating func check(_ batch: FleetBatch) -> CheckedFleet {
        check(batch, kept: [:], hash: { _, _ in "" })
    }

    /// Checks `batch` against what the store keeps from the last sync: a resource whose id is in
    /// `kept` and whose compact JSON, hashed with its kept parent (`hash(record, parentId)`, as the
    /// store hashes the rows it writes, with ``fingerprint``), gives its kept hash is the row the store
    /// already holds. It
    /// is neither validated again nor rewritten, unless this fleet gives it another parent (its
    /// parent vanished or came back).
    package mutating func check(
        _ batch: FleetBatch, kept: [String: UnchangedResource], hash: ([UInt8], String?) -> String,
        storedAlias: (String) -> String? = { _ in nil }
    ) -> CheckedFleet {
        var skipped = batch.skipped
        var (resources, unchanged) = keptResources(
            batch.resources, checked: batch.checkedResources, kept: kept, hash: hash, skipped: &skipped
        )
        var stale = 0
        var ids = Set(resources.map(\.id))
        ids.reserveCapacity(resources.count + unchanged.count + batch.recognised.count)
        ids.formUnion(unchanged.map(\.resource.id))
        for recognised in batch.recognised {
            guard let stored = kept[recognised.id], stored.hash == recognised.recordHash else {
                stale += 1
                continue
            }
            guard ids.insert(recognised.id).inserted else {
                skipped.append(FleetSkip(kind: .resource, id: recognised.id, type: stored.type, reason: "repeats the id of an earlier resource"))
                continue
            }
            unchanged.append(Unchanged(resource: stored, origin: .recognised, parentId: recognised.parentId))
        }
        let detached = Self.detachParents(&resources, &unchanged, ids: ids)
        var unchangedRows: [UnchangedResource] = []
        unchangedRows.reserveCapacity(unchanged.count)
        for entry in unchanged {
            guard entry.parentId != entry.resource.parentId else {
                unchangedRows.append(entry.resource)
                continue
            }
            // The same record under another parent: validated and written again.
            var row: IngestRow.Resource
            switch entry.origin {
            case .recognised:
                // Recognised by its raw bytes, so its record is not here to be validated again.
                stale += 1
                continue
            case .checked(let checked):
                row = checked
            case .object(let index):
                let object = batch.resources[index]
                let log = SnapshotErrorLog()
                let result = validator.resource(
                    object, serialized: nil, checker: SnapshotChecker(location: .element(.resource, index), log: log)
                )
                guard let valid = result.row else {
                    skipped.append(Self.skip(.resource, object, log))
                    continue
                }
                row = valid
            }
            row.parentId = entry.parentId
            resources.append(row)
        }
        // Every resource as the last sync left it: so are its aliases (kept in the store, looked up
        // there for the few names an agent, alert or recovery point gives). With a scope, so are the
        // aliases of every name outside it.
        let asKept = batch.resourcesAsKept && !batch.isPartial && stale == 0
        let scope = asKept || batch.isPartial ? nil : batch.aliasScope?.names
        var aliases: [(alias: String, resourceId: String)] = []
        if !asKept {
            aliases.reserveCapacity(batch.aliases.count)
            for (alias, resourceId) in batch.aliases
            where ids.contains(resourceId) && !ids.contains(alias) && !alias.isEmpty && scope.map({ $0.contains(alias) }) ?? true {
                aliases.append((alias: alias, resourceId: resourceId))
            }
            // In alias order, so that the writer appends to the alias tables' B-trees instead of
            // splitting pages at random (a first sync writes 3-4 aliases per resource).
            aliases.sort { $0.alias < $1.alias }
        }
        /// An id, or an alias kept above (looked up in the batch, not copied into a table of its own).
        func canonical(_ id: String) -> String? {
            if ids.contains(id) { return id }
            guard !id.isEmpty else { return nil }
            let settled = !asKept && scope.map { $0.contains(id) } ?? true
            let named = settled ? batch.aliases[id] : storedAlias(id)
            return named.flatMap { ids.contains($0) ? $0 : nil }
        }

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
        var fleet = CheckedFleet(
            generatedAt: batch.generatedAt, source: batch.source, resources: resources, unchangedResources: unchangedRows,
            agents: agents, alerts: alerts, recoveryPoints: points, aliases: aliases, skipped: skipped, unjoinedAlerts: unjoinedAlerts,
            unjoinedRecoveryPoints: unjoinedPoints, detachedResources: detached,
            hashSalt: fingerprint, isPartial: batch.isPartial
        )
        fleet.aliasesAsKept = asKept
        fleet.aliasScope = scope
        fleet.recognisedResources = batch.recognised.count - stale
        fleet.staleRecognitions = stale
        if !batch.rawRows.isEmpty {
            // The ids kept: those checked, unless a resource was refused when checked again.
            var keptIds = ids
            if resources.count + unchangedRows.count != ids.count {
                keptIds = Set(resources.map(\.id))
                keptIds.formUnion(unchangedRows.map(\.id))
            }
            fleet.rawRows = batch.rawRows.filter { row in row.resourceId.map(keptIds.contains) ?? true }
        }
        return fleet
    }

    /// A resource found as the store keeps it: where its record is, its parent in this fleet.
    private struct Unchanged {
        var resource: UnchangedResource
        var origin: Origin
        var parentId: String?

        enum Origin {
            /// ``FleetBatch/resources``, at this index.
            case object(Int)
            /// ``FleetBatch/checkedResources``: this row.
            case checked(IngestRow.Resource)
            /// ``FleetBatch/recognised``: the record is only in the store.
            case recognised
        }
    }

    /// The valid resources, each id once (the first wins): those to write, and those found unchanged.
    private mutating func keptResources(
        _ objects: [JSONObject], checked: [IngestRow.Resource], kept: [String: UnchangedResource],
        hash: ([UInt8], String?) -> String, skipped: inout [FleetSkip]
    ) -> ([IngestRow.Resource], [Unchanged]) {
        let count = objects.count + checked.count
        var rows: [IngestRow.Resource] = []
        rows.reserveCapacity(kept.isEmpty ? count : count / 8)
        var unchanged: [Unchanged] = []
        unchanged.reserveCapacity(kept.isEmpty ? 0 : count)
        var seen = Set<String>()
        seen.reserveCapacity(count)
        func repeated(_ id: String, _ type: String) {
            skipped.append(FleetSkip(kind: .resource, id: id, type: type, reason: "repeats the id of an earlier resource"))
        }
        for (index, object) in objects.enumerated() {
            let serialized = JSONSerializer.bytes(.object(object))
            if let id = object["id"]?.stringValue, let stored = kept[id], hash(serialized, stored.parentId) == stored.hash {
                guard seen.insert(id).inserted else {
                    repeated(id, stored.type)
                    continue
                }
                unchanged.append(Unchanged(resource: stored, origin: .object(index), parentId: object["parentId"]?.stringValue))
                continue
            }
            let log = SnapshotErrorLog()
            let result = validator.resource(
                object, serialized: serialized[...], checker: SnapshotChecker(location: .element(.resource, index), log: log)
            )
            guard let row = result.row else {
                skipped.append(Self.skip(.resource, object, log))
                continue
            }
            guard seen.insert(row.id).inserted else {
                repeated(row.id, row.type.rawValue)
                continue
            }
            rows.append(row)
        }
        for row in checked {
            guard seen.insert(row.id).inserted else {
                repeated(row.id, row.type.rawValue)
                continue
            }
            if let stored = kept[row.id], hash(Array(row.record.utf8), stored.parentId) == stored.hash {
                unchanged.append(Unchanged(resource: stored, origin: .checked(row), parentId: row.parentId))
            } else {
                rows.append(row)
            }
        }
        return (rows, unchanged)
    }

    /// Checks one resource record where it is made, as ``check(_:kept:hash:storedAlias:)`` checks the
    /// records of ``FleetBatch/resources``: its row (the record's compact text in it) for
    /// ``FleetBatch/checkedResources``, or the skip that names what is wrong with it.
    package mutating func checkResource(_ object: JSONObject) -> Result<IngestRow.Resource, FleetResourceRefusal> {
        let log = SnapshotErrorLog()
        let result = validator.resource(object, serialized: nil, checker: SnapshotChecker(location: .element(.resource, 0), log: log))
        guard let row = result.row else { return .failure(FleetResourceRefusal(skip: Self.skip(.resource, object, log))) }
        return .success(row)
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
    /// The rows to write and the unchanged ones are one fleet here: a chain may run through both.
    private static func detachParents(_ rows: inout [IngestRow.Resource], _ unchanged: inout [Unchanged], ids: Set<String>) -> Int {
        var ownIds = rows.map(\.id) + unchanged.map(\.resource.id)
        var parents = rows.map(\.parentId) + unchanged.map(\.parentId)
        var detached = 0
        for index in parents.indices {
            if let parent = parents[index], !ids.contains(parent) || parent == ownIds[index] {
                parents[index] = nil
                detached += 1
            }
        }
        let position = Dictionary(uniqueKeysWithValues: ownIds.enumerated().map { ($0.element, $0.offset) })
        ownIds = []
        // 0 unvisited, 1 on the current path, 2 done: a chain met again while on the path is a cycle.
        var state = [UInt8](repeating: 0, count: parents.count)
        for start in parents.indices where state[start] == 0 {
            var path: [Int] = []
            var current: Int? = start
            while let index = current, state[index] == 0 {
                state[index] = 1
                path.append(index)
                current = parents[index].flatMap { position[$0] }
            }
            if let index = current, state[index] == 1 {
                parents[index] = nil
                detached += 1
            }
            for index in path { state[index] = 2 }
        }
        for index in rows.indices { rows[index].parentId = parents[index] }
        for index in unchanged.indices { unchanged[index].parentId = parents[rows.count + index] }
        return detached
    }
}
