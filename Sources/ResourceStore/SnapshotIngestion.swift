import Fleet
import JSON
import Policy

/// The reading half of an ingest: it receives records from a reader, validates each one, keeps the
/// structural checks' ids, and sends the valid rows down an ``IngestPipe`` to the writing half
/// (``IngestSink``), in batches.
///
/// Valid rows are sent even after an error has been found elsewhere: the transaction will be
/// rolled back anyway, and writing them keeps the primary keys checking the uniqueness of what follows.
/// A class, deliberately not `Sendable`: it is handed to the reading thread, its only user until
/// that thread closes the pipe.
final class SnapshotIngestion: SnapshotVisitor {
    /// Rows per batch: enough that the two threads rarely wait on each other's lock.
    static let batchSize = 512

    let log = SnapshotErrorLog()
    private(set) var generatedAt: Timestamp?
    private(set) var recordsRead = 0
    private var validator: SnapshotValidator
    private var graph = SnapshotGraph()
    /// Where the valid rows go, read by the writing thread too.
    let pipe: IngestPipe
    private var batch: [IngestOperation] = []
    private let progress: (@Sendable (IngestProgress) -> Void)?
    private let totalBytes: Int?
    private var bytesRead = 0

    init(
        manifest: PlatformSupportManifest, pipe: IngestPipe, totalBytes: Int?,
        progress: (@Sendable (IngestProgress) -> Void)?
    ) {
        validator = SnapshotValidator(manifest: manifest)
        self.pipe = pipe
        self.totalBytes = totalBytes
        self.progress = progress
        batch.reserveCapacity(Self.batchSize)
    }

    // MARK: - SnapshotVisitor

    func visitGeneratedAt(_ value: JSONValue, at location: SnapshotLocation, field: String?) {
        generatedAt = SnapshotChecker(location: location, log: log).timestamp(value, field ?? "generatedAt")
    }

    func visit(
        _ kind: SnapshotRecordKind, _ object: JSONObject, serialized: ArraySlice<UInt8>?, at location: SnapshotLocation
    ) throws {
        recordsRead += 1
        let checker = SnapshotChecker(location: location, log: log)
        let operation: IngestOperation
        switch kind {
        case .resource:
            let result = validator.resource(object, serialized: serialized, checker: checker)
            guard let id = result.id else { return }
            let ordinal = graph.register(id: id, parentId: result.parentId, at: location, log: log)
            guard let ordinal, let row = result.row else { return }
            operation = .resource(row, rowid: Int64(ordinal) + 1)
        case .agent:
            guard let row = validator.agent(object, checker: checker) else { return }
            graph.reference(row.hostResourceId, "hostResourceId", at: location)
            operation = .agent(row, at: location)
        case .connection:
            guard let row = validator.connection(object, checker: checker) else { return }
            graph.reference(row.rootResourceId, "rootResourceId", at: location)
            operation = .connection(row, at: location)
        case .alert:
            guard let row = validator.alert(object, checker: checker) else { return }
            graph.reference(row.resourceId, "resourceId", at: location)
            operation = .alert(row, at: location)
        case .recoveryPoint:
            guard let row = validator.recoveryPoint(object, checker: checker) else { return }
            graph.reference(row.resourceId, "resourceId", at: location)
            operation = .recoveryPoint(row, at: location)
        case .metricSample:
            guard let row = validator.metricSample(object, checker: checker) else { return }
            graph.reference(row.resourceId, "resourceId", at: location)
            operation = .metricSample(row, at: location)
        }
        batch.append(operation)
        if batch.count >= Self.batchSize {
            try flush()
        }
    }

    func didRead(bytes: Int) {
        bytesRead = bytes
        report(.reading)
    }

    // MARK: - Steps

    /// Sends the rows not sent yet.
    /// - Throws: ``IngestPipe/Cancelled`` when the writer has given up.
    func flush() throws {
        guard !batch.isEmpty else { return }
        try pipe.put(batch)
        batch.removeAll(keepingCapacity: true)
    }

    /// Takes in the writer's errors, then runs the whole-snapshot checks; afterwards ``log`` holds
    /// every error, in reading order.
    func finish(merging writerLog: SnapshotErrorLog) {
        report(.checking)
        log.merge(writerLog)
        graph.finish(log: log)
    }

    /// Tells the progress handler where the ingest is.
    func report(_ phase: IngestProgress.Phase) {
        progress?(IngestProgress(phase: phase, recordsRead: recordsRead, bytesRead: bytesRead, totalBytes: totalBytes))
    }
}
