import Fleet
import GRDB
import Policy

/// The writing half of an ingest: inserts the rows ``SnapshotIngestion`` validated, counts them,
/// and reports the ids a table already holds (the primary keys are the uniqueness check of every
/// record kind but resources, whose ids the structural checks keep).
///
/// Deliberately not `Sendable`: it lives on the writer's thread, inside the ingest transaction.
final class IngestSink {
    /// Repeated ids, found as rows are turned away; merged into the reader's log at the end.
    let log = SnapshotErrorLog()
    private(set) var recordCounts: [SnapshotRecordKind: Int] = [.resource: 0]
    private var typeCounts = [Int](repeating: 0, count: ResourceType.allCases.count)
    private let writer: IngestWriter

    init(_ db: Database) throws {
        writer = try IngestWriter(db)
    }

    /// Resources stored per type.
    var resourceTypeCounts: [ResourceType: Int] {
        Dictionary(uniqueKeysWithValues: zip(ResourceType.allCases, typeCounts).filter { $0.1 > 0 })
    }

    /// Inserts one batch, in order.
    ///
    /// Each row is moved out of the batch rather than copied: a copy retains every string of the
    /// row, only for the batch to release them all again (at 1M resources, 1.8 s of the writer's
    /// CPU went to copying rows out of their batches).
    func write(_ rows: consuming [IngestOperation]) throws {
        try rows.withUnsafeMutableBufferPointer { batch in
            guard let first = batch.baseAddress else { return }
            for index in batch.indices {
                let operation = (first + index).move()
                // The batch frees its slots as it goes: each must hold a row, one with no storage.
                (first + index).initialize(to: Self.movedOut)
                try write(operation)
            }
        }
    }

    /// What a slot holds once its row has been moved out: nothing to retain or release.
    private static let movedOut = IngestOperation.metricSample(
        IngestRow.MetricSample(resourceId: "", metric: "", at: 0, value: 0), at: .document
    )

    /// Inserts one row.
    private func write(_ operation: consuming IngestOperation) throws {
        switch operation {
        case .resource(let row, let rowid):
            try writer.insert(row, rowid: rowid)
            typeCounts[Self.typeIndex[row.type] ?? 0] += 1
            recordCounts[.resource, default: 0] += 1
        case .agent(let row, let location):
            stored(try writer.insert(row), .agent, id: row.id, at: location)
        case .connection(let row, let location):
            stored(try writer.insert(row), .connection, id: row.id, at: location)
        case .alert(let row, let location):
            stored(try writer.insert(row), .alert, id: row.id, at: location)
        case .recoveryPoint(let row, let location):
            stored(try writer.insert(row), .recoveryPoint, id: row.id, at: location)
        case .metricSample(let row, let location):
            if try writer.insert(row) {
                recordCounts[.metricSample, default: 0] += 1
            } else {
                log.append(
                    at: location, nil,
                    rule: "duplicate metric sample: \(row.resourceId) already has \(row.metric) at \(Timestamp(secondsSince1970: row.at))"
                )
            }
        }
    }

    private static let typeIndex = Dictionary(uniqueKeysWithValues: ResourceType.allCases.enumerated().map { ($1, $0) })

    /// Counts a stored row, or reports the id it repeats.
    private func stored(_ inserted: Bool, _ kind: SnapshotRecordKind, id: String, at location: SnapshotLocation) {
        if inserted {
            recordCounts[kind, default: 0] += 1
        } else {
            log.append(
                at: location, "id", value: .string(id),
                rule: "duplicate \(kind == .recoveryPoint ? "recovery point" : kind.lineKey) id"
            )
        }
    }
}
