import Fleet

/// One resource as its indexed columns give it: what lists show.
///
/// The full record (identity, details, metrics as ingested) is ``record``,
/// loaded only when asked for, as JSON text.
package struct ResourceRow: Sendable, Equatable {
    package var id: String
    package var type: String
    package var platform: String
    package var name: String
    package var status: String
    package var powerState: String?
    package var technology: String?
    package var parentId: String?
    /// CPU use, 0…1.
    package var cpu: Double?
    /// memoryUsed / memoryTotal, 0…1.
    package var memoryUsage: Double?
    /// diskUsed / diskTotal, 0…1.
    package var diskUsage: Double?
    package var lastSeen: Timestamp?
    /// The record as ingested, when the query asked for it.
    package var record: String?

    /// The columns a row is read from, in order; `record` last and optional.
    static let columns = "id, type, platform, name, status, powerState, technology, parentId, cpu, memoryUsage, diskUsage, lastSeen"

    init(_ row: ReadRow, withRecord: Bool) {
        id = row[0]
        type = row[1]
        platform = row[2]
        name = row[3]
        status = row[4]
        powerState = row[5]
        technology = row[6]
        parentId = row[7]
        cpu = row[8]
        memoryUsage = row[9]
        diskUsage = row[10]
        lastSeen = row[11]
        record = withRecord ? row[12] : nil
    }
}
