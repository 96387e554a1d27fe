import AuditLog

extension ResourceStore {
    /// Appends `record` to the audit chain and returns it with its `seq`, `previousHash` and `hash`.
    @discardableResult
    package func appendAudit(_ record: AuditRecord) throws -> AuditRecord {
        try audit.append(record)
    }

    /// The newest records matching `filter`, oldest first.
    package func auditRecords(_ filter: AuditFilter) throws -> [AuditRecord] {
        try audit.records(filter)
    }
}
