import GRDB
import JSONRPC
import Policy

/// One ingest in progress: it receives the records from a reader, validates each one, writes the
/// valid ones and keeps the structural checks' ids, all inside the caller's write transaction.
///
/// Valid rows are written even after an error has been found elsewhere: the transaction will be
/// rolled back anyway, and writing keeps the primary keys checking the uniqueness of what follows.
/// A class, deliberately not `Sendable`: it lives on the writer's thread for one transaction.
final class SnapshotIngestion: SnapshotVisitor {
    let log = SnapshotErrorLog()
    private(set) var generatedAt: Timestamp?
    private(set) var recordCounts: [SnapshotRecordKind: Int] = [:]
    private(set) var recordsRead = 0
    private var typeCounts = [Int](repeating: 0, count: ResourceType.allCases.count)
    private var validator: SnapshotValidator
    private var graph = SnapshotGraph()
    private let writer: IngestWriter
    private let progress: (@Sendable (IngestProgress) -> Void)?
    private let totalBytes: Int?
    private var bytesRead = 0

    init(
        db: Database, manifest: PlatformSupportManifest, totalBytes: Int?,
        progress: (@Sendable (IngestProgress) -> Void)?
    ) throws {
        writer = try IngestWriter(db)
        validator = SnapshotValidator(manifest: manifest)
        self.totalBytes = totalBytes
        self.progress = progress
    }

    /// Resources stored per type.
    var resourceTypeCounts: [ResourceType: Int] {
        Dictionary(uniqueKeysWithValues: zip(ResourceType.allCases, typeCounts).filter { $0.1 > 0 })
    }

    // MARK: - SnapshotVisitor

    func visitGeneratedAt(_ value: JSONValue, at location: SnapshotLocation, field: String?) {
        generatedAt = SnapshotChecker(location: location, log: log).timestamp(value, field ?? "generatedAt")
    }

    func visit(_ kind: SnapshotRecordKind, _ object: JSONObject, at location: SnapshotLocation) throws {
        recordsRead += 1
        let checker = SnapshotChecker(location: location, log: log)
        switch kind {
        case .resource:
            let result = validator.resource(object, checker: checker)
            guard let id = result.id else { return }
            let ordinal = graph.register(id: id, parentId: result.parentId, at: location, log: log)
            guard let ordinal, let row = result.row else { return }
            try writer.insert(row, rowid: Int64(ordinal) + 1)
            typeCounts[Self.typeIndex[row.type] ?? 0] += 1
        case .agent:
            guard let row = validator.agent(object, checker: checker) else { return }
            reference(row.hostResourceId, "hostResourceId", at: location)
            try stored(writer.insert(row), kind, id: row.id, checker: checker)
        case .connection:
            guard let row = validator.connection(object, checker: checker) else { return }
            reference(row.rootResourceId, "rootResourceId", at: location)
            try stored(writer.insert(row), kind, id: row.id, checker: checker)
        case .alert:
            guard let row = validator.alert(object, checker: checker) else { return }
            reference(row.resourceId, "resourceId", at: location)
            try stored(writer.insert(row), kind, id: row.id, checker: checker)
        case .recoveryPoint:
            guard let row = validator.recoveryPoint(object, checker: checker) else { return }
            reference(row.resourceId, "resourceId", at: location)
            try stored(writer.insert(row), kind, id: row.id, checker: checker)
        case .metricSample:
            guard let row = validator.metricSample(object, checker: checker) else { return }
            reference(row.resourceId, "resourceId", at: location)
            if try !writer.insert(row) {
                checker.fail(
                    nil, nil,
                    "duplicate metric sample: \(row.resourceId) already has \(row.metric) at \(Timestamp(secondsSince1970: row.at))"
                )
            } else {
                recordCounts[kind, default: 0] += 1
            }
        }
    }

    func didRead(bytes: Int) {
        bytesRead = bytes
        report(.reading)
    }

    // MARK: - Steps

    /// Runs the whole-snapshot checks; afterwards ``log`` holds every error.
    func finish() {
        report(.checking)
        graph.finish(log: log)
        recordCounts[.resource] = typeCounts.reduce(0, +)
    }

    /// Tells the progress handler where the ingest is.
    func report(_ phase: IngestProgress.Phase) {
        progress?(IngestProgress(phase: phase, recordsRead: recordsRead, bytesRead: bytesRead, totalBytes: totalBytes))
    }

    private static let typeIndex = Dictionary(uniqueKeysWithValues: ResourceType.allCases.enumerated().map { ($1, $0) })

    private func reference(_ id: String, _ field: String, at location: SnapshotLocation) {
        graph.reference(id, field, at: location)
    }

    /// Counts a stored row, or reports the id it repeats.
    private func stored(_ inserted: Bool, _ kind: SnapshotRecordKind, id: String, checker: SnapshotChecker) {
        if inserted {
            recordCounts[kind, default: 0] += 1
        } else {
            checker.fail("id", .string(id), "duplicate \(kind == .recoveryPoint ? "recovery point" : kind.lineKey) id")
        }
    }
}
