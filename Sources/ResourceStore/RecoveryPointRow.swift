import Fleet

/// A backup or snapshot of a resource.
package struct RecoveryPointRow: Sendable, Equatable {
    package var id: String
    package var resourceId: String
    /// The platform that holds the recovery point (e.g. `proxmox-pbs` for a backup of a PVE guest).
    package var platform: String
    package var kind: String
    package var at: Timestamp
    package var sizeBytes: Int64?
    package var verified: Bool?

    static let columns = "id, resourceId, platform, kind, at, sizeBytes, verified"

    init(_ row: ReadRow) {
        id = row[0]
        resourceId = row[1]
        platform = row[2]
        kind = row[3]
        at = row[4]
        sizeBytes = row[5]
        verified = row[6]
    }
}

/// How much recovery a resource has: for `get_resource`'s summary.
package struct RecoverySummary: Sendable, Equatable {
    package var count: Int
    package var latest: RecoveryPointRow?
    package var latestVerified: RecoveryPointRow?
}

/// A position in the recovery point order: newest first, then id.
package struct RecoveryPointKey: Sendable, Equatable {
    package var at: Int64
    package var id: String

    package init(at: Int64, id: String) {
        self.at = at
        self.id = id
    }
}

extension StoreReader {
    /// One page of a resource's recovery points, newest first.
    package func recoveryPoints(
        of resourceId: String, kind: String? = nil, after: RecoveryPointKey? = nil, limit: Int = 50
    ) throws -> (rows: [RecoveryPointRow], next: RecoveryPointKey?) {
        var sql = "SELECT \(RecoveryPointRow.columns) FROM recoveryPoint WHERE resourceId = ?"
        var arguments: [SQLiteArgument] = [.text(resourceId)]
        if let kind {
            sql += " AND kind = ?"
            arguments.append(.text(kind))
        }
        if let after {
            sql += " AND (-at, id) > (?, ?)"
            arguments += [.integer(-after.at), .text(after.id)]
        }
        sql += " ORDER BY at DESC, id LIMIT ?"
        let found = try rows(sql, arguments + [.integer(limit + 1)], RecoveryPointRow.init)
        guard found.count > limit else { return (found, nil) }
        let page = Array(found.prefix(limit))
        return (page, page.last.map { RecoveryPointKey(at: $0.at.secondsSince1970, id: $0.id) })
    }

    /// Count, newest and newest verified recovery point of a resource, in one query.
    ///
    /// The newest point carries the count along (a scalar subquery on the same covering index);
    /// the newest verified point follows it with a NULL count. No row at all means no points.
    package func recoverySummary(of resourceId: String) throws -> RecoverySummary {
        var summary = RecoverySummary(count: 0, latest: nil, latestVerified: nil)
        _ = try rows(Self.recoverySummarySQL, [.text(resourceId)]) { row in
            if let count: Int = row[7] {
                summary.count = count
                summary.latest = RecoveryPointRow(row)
            } else {
                summary.latestVerified = RecoveryPointRow(row)
            }
        }
        return summary
    }

    private static let recoverySummarySQL = """
        SELECT * FROM (
            SELECT \(RecoveryPointRow.columns), (SELECT count(*) FROM recoveryPoint WHERE resourceId = ?1)
            FROM recoveryPoint WHERE resourceId = ?1 ORDER BY at DESC, id LIMIT 1
        )
        UNION ALL
        SELECT * FROM (
            SELECT \(RecoveryPointRow.columns), NULL
            FROM recoveryPoint WHERE resourceId = ?1 AND verified = 1 ORDER BY at DESC, id LIMIT 1
        )
        """
}
