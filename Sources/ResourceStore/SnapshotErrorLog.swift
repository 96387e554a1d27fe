import JSONRPC
import Policy

/// Collects a snapshot's errors while it is read, keeping the first ones and counting the rest.
///
/// A class, deliberately not `Sendable`: one ingest runs on one thread, and every checker of that
/// ingest appends to the same log.
final class SnapshotErrorLog {
    private(set) var errors: [SnapshotError] = []
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    func append(_ error: SnapshotError) {
        count += 1
        if errors.count < SnapshotRejection.retainedLimit {
            errors.append(error)
        }
    }

    func append(
        at location: SnapshotLocation, _ field: String?, value: JSONValue? = nil, rule: String,
        seedRule: SeedRule? = nil
    ) {
        count += 1
        guard errors.count < SnapshotRejection.retainedLimit else { return }
        errors.append(SnapshotError(at: location, field, value: value, rule: rule, seedRule: seedRule))
    }

    /// The rejection to throw, or nil when the snapshot is valid.
    var rejection: SnapshotRejection? {
        isEmpty ? nil : SnapshotRejection(errors: errors, totalCount: count)
    }
}
