import Fleet

/// One validated row on its way from the reading thread to the writing thread.
///
/// A resource comes with the rowid the structural checks gave it; the other kinds come with where
/// they were read, for the error a repeated id gets when its table turns the row away.
enum IngestOperation: Sendable {
    case resource(IngestRow.Resource, rowid: Int64)
    case agent(IngestRow.Agent, at: SnapshotLocation)
    case connection(IngestRow.Connection, at: SnapshotLocation)
    case alert(IngestRow.Alert, at: SnapshotLocation)
    case recoveryPoint(IngestRow.RecoveryPoint, at: SnapshotLocation)
    case metricSample(IngestRow.MetricSample, at: SnapshotLocation)
}
