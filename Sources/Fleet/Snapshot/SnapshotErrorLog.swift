import JSON
import Policy

/// Collects a snapshot's errors while it is read, keeping the first ones and counting the rest.
///
/// An ingest keeps two: the reading thread's (framing, fields, structure) and the writing thread's
/// (ids a table already holds). Each error remembers where in the reading order it was found, so
/// ``merge(_:)`` puts the two back into the order one thread would have found them in.
///
/// A class, deliberately not `Sendable`: each log is appended to by one thread, and merged only
/// after the other thread has finished.
package final class SnapshotErrorLog {
    package private(set) var errors: [SnapshotError] = []
    package private(set) var count = 0
    /// Each retained error's place in the reading order (see ``SnapshotLocation/readOrder``).
    private var orders: [SnapshotLocation.ReadOrder] = []

    package init() {}

    var isEmpty: Bool { count == 0 }

    /// Appends an error found after the records were read (it sorts after every record's).
    func append(_ error: SnapshotError) {
        retain(error, order: .afterReading)
    }

    package func append(
        at location: SnapshotLocation, _ field: String?, value: JSONValue? = nil, rule: String,
        seedRule: SeedRule? = nil
    ) {
        retain(SnapshotError(at: location, field, value: value, rule: rule, seedRule: seedRule), order: location.readOrder)
    }

    /// Appends an error that shows `shown` (a value's kind) in place of the value.
    func append(at location: SnapshotLocation, _ field: String?, shown: String, rule: String) {
        retain(SnapshotError(path: location.path(field), value: shown, rule: rule), order: location.readOrder)
    }

    /// Takes in `other`'s errors, interleaved by reading order; on a tie this log's come first.
    ///
    /// Each log holds its own earliest errors, so the earliest of both are among them: the merged
    /// log keeps exactly the errors one log appended to in reading order would have kept.
    package func merge(_ other: SnapshotErrorLog) {
        guard !other.isEmpty else { return }
        var merged: [(error: SnapshotError, order: SnapshotLocation.ReadOrder)] = []
        var (mine, theirs) = (0, 0)
        while merged.count < SnapshotRejection.retainedLimit, mine < errors.count || theirs < other.errors.count {
            if theirs == other.errors.count || (mine < errors.count && orders[mine] <= other.orders[theirs]) {
                merged.append((errors[mine], orders[mine]))
                mine += 1
            } else {
                merged.append((other.errors[theirs], other.orders[theirs]))
                theirs += 1
            }
        }
        errors = merged.map(\.error)
        orders = merged.map(\.order)
        count += other.count
    }

    /// The rejection to throw, or nil when the snapshot is valid.
    package var rejection: SnapshotRejection? {
        isEmpty ? nil : SnapshotRejection(errors: errors, totalCount: count)
    }

    /// Counts an error and keeps it while fewer than the limit are kept; a dropped one is never built.
    private func retain(_ error: @autoclosure () -> SnapshotError, order: SnapshotLocation.ReadOrder) {
        count += 1
        guard errors.count < SnapshotRejection.retainedLimit else { return }
        errors.append(error())
        orders.append(order)
    }
}
