import Synchronization

/// The audit chain of an in-memory store: gone with the process.
package final class AuditMemory: AuditChain {
    private let chain = Mutex<[AuditRecord]>([])

    package init() {}

    package func append(_ record: AuditRecord) throws -> AuditRecord {
        chain.withLock { chain in
            var appended = record
            appended.seq = (chain.last?.seq ?? 0) + 1
            appended.previousHash = chain.last?.hash ?? AuditRecord.genesis
            appended.hash = appended.computedHash
            chain.append(appended)
            return appended
        }
    }

    package func scan(_ body: (AuditRecord) throws -> Void) throws -> AuditHead? {
        let records = chain.withLock { $0 }
        for record in records {
            try body(record)
        }
        return records.last.map { AuditHead(seq: $0.seq, hash: $0.hash, size: 0) }
    }
}
