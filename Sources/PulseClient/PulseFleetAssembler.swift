import Fleet
import JSON
import Policy

/// Gathers the rows of one walk and turns them into one ``FleetBatch``: each resource id once
/// (the last copy seen wins), aliases settled, alerts and recovery points joined.
///
/// Rows are mapped and checked as they arrive, so a walk holds each record's compact text (about
/// 2.6 KB), not pages or trees (about five times that). Nothing is dropped
/// silently: what is not a record is a ``FleetSkip``; an alert or recovery point whose resource
/// is not among the synced ones is kept with Pulse's id and counted.
package struct PulseFleetAssembler {
    private var preparer: PulseRowPreparer
    private var positions: [String: Int] = [:]
    private var outcomes: [PulseMappingOutcome<PulseMappedResource>] = []
    /// Each outcome's row as the next walk may recognise it (nil when it is to be read again).
    private var raws: [PulsePreparedRow.Raw?] = []
    private var anonymous: [FleetSkip] = []
    /// Rows recognised by their raw bytes (``addRecognised(_:)``), and rows parsed.
    package private(set) var recognisedRows = 0
    package private(set) var parsedRows = 0
    /// Recognised rows whose memo could not be read: the walk must read every row again.
    package private(set) var unreadableMemos = 0

    package init(manifest: PlatformSupportManifest) {
        self.init(preparer: PulseRowPreparer(manifest: manifest))
    }

    /// An assembler whose own rows (``addResource(_:rawHash:)``) and changed records are checked by `preparer`.
    package init(preparer: PulseRowPreparer) {
        self.preparer = preparer
    }

    /// How many distinct rows were added (mapped or skipped).
    package var rowCount: Int { outcomes.count + anonymous.count }

    /// Maps one `/api/resources` row, checks its record and keeps it, replacing an earlier row with
    /// its id (``PulseRowPreparer/read(_:rawHash:)``).
    /// - Returns: the row's id, when it has one.
    @discardableResult
    package mutating func addResource(_ value: JSONValue, rawHash: String? = nil) -> String? {
        add(preparer.read(value, rawHash: rawHash))
    }

    /// Keeps a row recognised by its raw bytes as the kept `row` stands for it (``PulseRowMemo``),
    /// unparsed and unmapped, replacing an earlier row with its id.
    /// - Returns: the row's id, when it has one.
    @discardableResult
    package mutating func addRecognised(_ row: FleetRawRow) -> String? {
        add(.recognised(row))
    }

    /// Keeps a row prepared where its page was read, replacing an earlier row with its id.
    /// - Returns: the row's id, when it has one.
    @discardableResult
    package mutating func add(_ prepared: PulsePreparedRow) -> String? {
        if prepared.wasRecognised { recognisedRows += 1 } else { parsedRows += 1 }
        guard let outcome = prepared.outcome else {
            unreadableMemos += 1
            return nil
        }
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
            raws[position] = prepared.raw
        } else {
            positions[id] = outcomes.count
            outcomes.append(outcome)
            raws.append(prepared.raw)
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
            raws.append(earlier.positions[id].flatMap { earlier.raws[$0] })
        }
        recognisedRows += earlier.recognisedRows
        parsedRows += earlier.parsedRows
        unreadableMemos += earlier.unreadableMemos
    }

    /// The batch: resources and their agents, alerts and recovery points joined through the aliases.
    ///
    /// A resource recognised by its raw bytes stands for the record the store keeps, which was
    /// written with its parent linked or left out (not synced then): when this fleet decides
    /// otherwise, the record it needs is not here, and ``PulseJoinCounts/recognisedNeedingRecords``
    /// says how many such rows the walk must read again.
    ///
    /// With `aliasesAsKept` (every row recognised: the store keeps the aliases as they were), only
    /// the names the join looks up are settled, and ``Fleet/FleetBatch/aliases`` holds those alone.
    /// Given the raw rows the walk started from (`kept`), only the names the rows read touched are
    /// settled besides (``Fleet/FleetBatch/aliasScope``), unless a row read changed its parent.
    package mutating func finish(
        alerts: [JSONValue], recoveryPoints: [JSONValue], source: String, aliasesAsKept: Bool = false,
        kept: [String: FleetRawRow]? = nil
    ) -> (batch: FleetBatch, counts: PulseJoinCounts) {
        var counts = PulseJoinCounts()
        counts.recognisedNeedingRecords = unreadableMemos
        var resources = outcomes.compactMap(\.record)
        let namedParents = resources.map(\.parentId)
        var skipped = outcomes.compactMap(\.skip) + anonymous
        var index: [String: Int32] = [:]
        index.reserveCapacity(resources.count)
        for (position, resource) in resources.enumerated() { index[resource.id] = Int32(position) }
        var parents = [Int32](repeating: -1, count: resources.count)
        var unlinked = [Bool](repeating: false, count: resources.count)
        for position in resources.indices {
            guard let parent = resources[position].parentId else { continue }
            let found = index[parent].flatMap { $0 != Int32(position) ? $0 : nil }
            if let recognition = resources[position].recognised {
                if (found == nil) != recognition.parentUnlinked { counts.recognisedNeedingRecords += 1 }
                if let found { parents[position] = found } else {
                    resources[position].parentId = nil
                    unlinked[position] = true
                    counts.parentsNotSynced += 1
                }
                continue
            }
            if let found {
                parents[position] = found
            } else {
                unlinkParent(&resources[position], parent)
                unlinked[position] = true
                counts.parentsNotSynced += 1
            }
        }
        var alertRecords = Self.unique(alerts.map(PulseMapping.alert), skipped: &skipped)
        var pointRecords = Self.unique(recoveryPoints.map { preparer.recoveryPoint($0) }, skipped: &skipped)
        var needed: Set<String>?
        let scope = aliasesAsKept ? nil : kept.flatMap {
            touchedNames(resources, namedParents: namedParents, unlinked: unlinked, kept: $0)
        }
        if aliasesAsKept || scope != nil {
            needed = Set((alertRecords + pointRecords).compactMap { record in
                record.text("resourceId").flatMap { index[$0] == nil ? $0 : nil }
            }).union(scope ?? [])
        }
        let aliases = PulseAliasIndex(resources: resources, parents: parents, only: needed)
        counts.ambiguousAliases = aliases.ambiguousCount
        func join(_ record: inout JSONObject, unjoined: inout Int) {
            guard let named = record.text("resourceId"), index[named] == nil else { return }
            if let canonical = aliases.resolve(named) {
                record["resourceId"] = .string(canonical)
            } else {
                unjoined += 1
            }
        }
        for position in alertRecords.indices { join(&alertRecords[position], unjoined: &counts.unjoinedAlerts) }
        for position in pointRecords.indices { join(&pointRecords[position], unjoined: &counts.unjoinedRecoveryPoints) }
        let agents = Self.unique(resources.compactMap(\.agent).map { .record($0) }, skipped: &skipped)
        var batch = FleetBatch(
            source: source, agents: agents, alerts: alertRecords, recoveryPoints: pointRecords, aliases: aliases.ids,
            skipped: skipped
        )
        batch.checkedResources = resources.compactMap { $0.recognised == nil ? $0.row : nil }
        batch.recognised = resources.compactMap { resource in
            resource.recognised.map { RecognisedResource(id: resource.id, parentId: resource.parentId, recordHash: $0.recordHash) }
        }
        batch.rawRows = rawRows(unlinked: unlinked)
        batch.aliasScope = scope.map { FleetAliasScope(names: $0, keptRawRows: kept?.count ?? 0) }
        return (batch, counts)
    }

    /// The names whose aliases the rows read this walk may have changed: those they claim, those
    /// their kept rows claimed (the rows the walk did not recognise: changed, or gone), and the ids
    /// of both. Nil when a row read names another parent than its kept row did, or has its parent
    /// linked where it was left out (or the reverse): the ancestry that settles shared names may
    /// then have changed for rows that were not read, so every name is settled.
    private func touchedNames(
        _ resources: [PulseMappedResource], namedParents: [String?], unlinked: [Bool], kept: [String: FleetRawRow]
    ) -> Set<String>? {
        var recognised = Set<String>()
        for case .kept(let row)? in raws { recognised.insert(row.hash) }
        var touched = Set<String>()
        var before: [String: (parent: String?, unlinked: Bool)] = [:]
        for (hash, row) in kept where !recognised.contains(hash) {
            guard let id = row.resourceId else { continue }
            guard case .record(let old)? = PulseRowMemo.decode(row), let recognition = old.recognised else { return nil }
            touched.insert(id)
            for alias in old.aliases { touched.insert(alias.name) }
            before[id] = (old.parentId, recognition.parentUnlinked)
        }
        for (position, resource) in resources.enumerated() where resource.recognised == nil {
            if let old = before[resource.id], old.parent != namedParents[position] || old.unlinked != unlinked[position] {
                return nil
            }
            touched.insert(resource.id)
            for alias in resource.aliases { touched.insert(alias.name) }
        }
        return touched
    }

    /// The raw rows to keep for the next walk: a recognised row as it was kept, a row read with its
    /// memo as this fleet mapped it (its parent linked or left out).
    private func rawRows(unlinked: [Bool]) -> [FleetRawRow] {
        var rows: [FleetRawRow] = []
        rows.reserveCapacity(outcomes.count)
        var position = 0
        for (outcome, raw) in zip(outcomes, raws) {
            if outcome.record != nil { position += 1 }
            switch (raw, outcome) {
            case (nil, _):
                continue
            case (.kept(let row)?, _):
                rows.append(row)
            case (.read(let hash)?, .record(let resource)):
                rows.append(FleetRawRow(
                    hash: hash, resourceId: resource.id, memo: PulseRowMemo.encode(resource, parentUnlinked: unlinked[position - 1])
                ))
            case (.read(let hash)?, .skip(let skip)):
                rows.append(FleetRawRow(hash: hash, resourceId: nil, memo: PulseRowMemo.encode(skip)))
            }
        }
        return rows
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
    /// cost the child its place in the store. The checked record is read back, changed and
    /// checked again (a few rows of a sync, if any).
    private mutating func unlinkParent(_ resource: inout PulseMappedResource, _ parent: String) {
        resource.parentId = nil
        guard let row = resource.row, case .object(var record)? = try? JSONParser.parse(row.record.utf8) else { return }
        resource.row?.parentId = nil
        record["parentId"] = nil
        if var details = record.object("details"), var pulse = details.object("pulse") {
            pulse["unsyncedParentId"] = .string(parent)
            details["pulse"] = .object(pulse)
            record["details"] = .object(details)
        }
        // Without a parent and with one more text under details, a checked record stays valid.
        if let unlinked = preparer.recheck(record) { resource.row = unlinked }
    }
}

/// What the join of one sync could not settle.
package struct PulseJoinCounts: Sendable, Hashable {
    /// Alerts whose `resourceId` is neither a synced id nor an alias of one (kept with Pulse's id).
    package var unjoinedAlerts = 0
    /// Recovery points whose subject is not a synced resource (kept with Pulse's id).
    package var unjoinedRecoveryPoints = 0
    /// Aliases two unrelated resources claim equally, so that they join nothing (when the walk kept
    /// the stored aliases, every row recognised: among the names the join looked up).
    package var ambiguousAliases = 0
    /// Resources whose parent is not among the synced ones (the link is kept under `details.pulse`).
    package var parentsNotSynced = 0
    /// Rows recognised by their raw bytes whose stored record this fleet cannot reuse (their parent
    /// appeared or vanished, or their memo did not read): the walk reads every row again.
    package var recognisedNeedingRecords = 0

    package init() {}
}
