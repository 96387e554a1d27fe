import Foundation

/// Where a store's audit records are kept, in chain order.
///
/// A file store keeps them in a JSON Lines file beside it (``AuditFile``); an in-memory store in
/// memory (``AuditMemory``). Appending links each record to the one before by SHA-256.
package protocol AuditChain: Sendable {
    /// Appends `record` and returns it with its `seq`, `previousHash` and `hash`.
    ///
    /// Several appenders (threads, processes) keep one chain: each links to the record before it.
    func append(_ record: AuditRecord) throws -> AuditRecord

    /// Hands every record to `body`, in chain order, and returns the head recorded when the scan
    /// began (nil when none is recorded).
    ///
    /// - Throws: ``AuditChainError/unreadable(line:reason:)`` at the first line that is not a record.
    @discardableResult
    func scan(_ body: (AuditRecord) throws -> Void) throws -> AuditHead?
}

/// Where the chain ended at the last append: kept apart from the records, so records cut from the end
/// are found even when nothing was appended after them.
package struct AuditHead: Sendable, Equatable {
    /// The last record's `seq` and `hash`.
    package var seq: Int64
    package var hash: String
    /// The length in bytes of the chain file up to and including that record (0 in memory).
    package var size: Int64

    package init(seq: Int64, hash: String, size: Int64) {
        self.seq = seq
        self.hash = hash
        self.size = size
    }
}

/// A failure reading or writing the audit chain, said for an operator.
package enum AuditChainError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A line of the chain file that is not a record: an edit, or a write cut short.
    case unreadable(line: Int, reason: String)
    /// A system call on the chain's files failed.
    case file(path: String, operation: String, errno: Int32)
    /// The chain and its head disagree in a way an append would hide (a deleted head or chain file).
    case refused(path: String, reason: String)

    package var description: String {
        switch self {
        case .unreadable(let line, let reason):
            "line \(line) is not an audit record: \(reason)"
        case .file(let path, let operation, let code):
            "cannot \(operation) \(path): \(String(cString: strerror(code)))"
        case .refused(let path, let reason):
            "will not append to the audit chain \(path): \(reason)"
        }
    }
}

/// Which audit records `audit list` shows.
package struct AuditFilter: Sendable, Equatable {
    /// Milliseconds since 1970, inclusive.
    package var since: Int64?
    /// Milliseconds since 1970, exclusive.
    package var until: Int64?
    package var tool: String?
    package var outcome: String?
    package var resourceId: String?
    package var limit: Int

    package init(since: Int64? = nil, until: Int64? = nil, tool: String? = nil, outcome: String? = nil, resourceId: String? = nil, limit: Int = 100) {
        self.since = since
        self.until = until
        self.tool = tool
        self.outcome = outcome
        self.resourceId = resourceId
        self.limit = max(limit, 1)
    }

    func matches(_ record: AuditRecord) -> Bool {
        if let since, record.at < since { return false }
        if let until, record.at >= until { return false }
        if let tool, record.tool != tool { return false }
        if let outcome, record.outcome != outcome { return false }
        if let resourceId, record.resourceId != resourceId { return false }
        return true
    }
}

extension AuditChain {
    /// The newest `filter.limit` records matching `filter`, oldest first.
    package func records(_ filter: AuditFilter) throws -> [AuditRecord] {
        var kept: [AuditRecord] = []
        try scan { record in
            guard filter.matches(record) else { return }
            if kept.count == 2 * filter.limit { kept.removeFirst(filter.limit) }
            kept.append(record)
        }
        return Array(kept.suffix(filter.limit))
    }
}
