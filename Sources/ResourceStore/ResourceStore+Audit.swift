import GRDB

extension ResourceStore {
    /// Appends `record` to the audit chain and returns it with its `seq`, `previousHash` and `hash`.
    ///
    /// Reading the last hash and inserting are one `IMMEDIATE` transaction, so several servers
    /// appending to one store keep one chain: SQLite serialises them, each links to the one before.
    @discardableResult
    public func appendAudit(_ record: AuditRecord) throws -> AuditRecord {
        try auditDatabase.writeWithoutTransaction { db in
            var appended = record
            // Plain statements rather than GRDB's transaction wrapper: this runs once per tool call,
            // and the wrapper's bookkeeping cost more than the insert.
            try db.cachedStatement(sql: "BEGIN IMMEDIATE TRANSACTION").execute()
            do {
                let last = try String.fetchOne(db.cachedStatement(sql: "SELECT hash FROM audit ORDER BY seq DESC LIMIT 1"))
                appended.previousHash = last ?? AuditRecord.genesis
                appended.hash = appended.computedHash
                try db.cachedStatement(sql: """
                    INSERT INTO audit (at, session, clientName, clientVersion, tool, arguments, resourceId, outcome, controlClass,
                        route, code, actionId, durationMicroseconds, previousHash, hash)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """).execute(arguments: [
                        appended.at, appended.session, appended.clientName, appended.clientVersion, appended.tool,
                        appended.arguments, appended.resourceId, appended.outcome, appended.controlClass, appended.route,
                        appended.code, appended.actionId, appended.durationMicroseconds, appended.previousHash, appended.hash,
                    ])
                appended.seq = db.lastInsertedRowID
                try db.cachedStatement(sql: "COMMIT TRANSACTION").execute()
            } catch {
                if db.isInsideTransaction { try? db.execute(sql: "ROLLBACK TRANSACTION") }
                throw error
            }
            return appended
        }
    }
}

/// Which audit records `audit list` shows.
public struct AuditFilter: Sendable, Equatable {
    /// Milliseconds since 1970, inclusive.
    public var since: Int64?
    /// Milliseconds since 1970, exclusive.
    public var until: Int64?
    public var tool: String?
    public var outcome: String?
    public var resourceId: String?
    public var limit: Int

    public init(since: Int64? = nil, until: Int64? = nil, tool: String? = nil, outcome: String? = nil, resourceId: String? = nil, limit: Int = 100) {
        self.since = since
        self.until = until
        self.tool = tool
        self.outcome = outcome
        self.resourceId = resourceId
        self.limit = limit
    }
}

extension ResourceStore {
    /// The newest records matching `filter`, oldest first.
    public func auditRecords(_ filter: AuditFilter) throws -> [AuditRecord] {
        try auditDatabase.read { db in try Self.auditRecords(filter, db) }
    }

    /// Every record in chain order, handed to `body` one at a time.
    public func eachAuditRecord(_ body: (AuditRecord) throws -> Void) throws {
        try auditDatabase.read { db in
            let cursor = try Row.fetchCursor(db, sql: "SELECT \(AuditRecord.columns) FROM audit ORDER BY seq")
            while let row = try cursor.next() {
                try body(AuditRecord(row))
            }
        }
    }

    static func auditRecords(_ filter: AuditFilter, _ db: Database) throws -> [AuditRecord] {
        var conditions: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        func add(_ condition: String, _ value: (any DatabaseValueConvertible)?) {
            guard let value else { return }
            conditions.append(condition)
            arguments.append(value)
        }
        add("at >= ?", filter.since)
        add("at < ?", filter.until)
        add("tool = ?", filter.tool)
        add("outcome = ?", filter.outcome)
        add("resourceId = ?", filter.resourceId)
        let clause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let newest = try Row.fetchAll(
            db, sql: "SELECT \(AuditRecord.columns) FROM audit\(clause) ORDER BY seq DESC LIMIT ?",
            arguments: StatementArguments(arguments + [filter.limit])
        ).map(AuditRecord.init)
        return newest.reversed()
    }

}
