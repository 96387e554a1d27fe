/// Checks the audit chain and names the first record that breaks it, and how.
///
/// Each record must hash to its own `hash`, and its `previousHash` must be the hash of the record
/// before it (the genesis value for the first), with no gap in `seq`:
///
/// | what is found | said as |
/// | --- | --- |
/// | a record whose content does not hash to its `hash` | edited |
/// | a record whose `previousHash` is the hash of a record later in the chain | reordered |
/// | a record the next one skips (the next follows the one before it) | inserted |
/// | a gap in `seq`, or a `previousHash` that no record has | dropped (a tail truncated and appended to shows as a gap) |
public enum AuditVerifier {
    public enum Verdict: Sendable, Equatable {
        /// The chain is whole: how many records, and the last one's hash (to keep elsewhere as an anchor).
        case intact(count: Int, head: String)
        /// The first bad record, and what is wrong with it.
        case broken(seq: Int64, problem: String)
    }

    public static func verify(_ store: ResourceStore) throws -> Verdict {
        var records: [AuditRecord] = []
        try store.eachAuditRecord { records.append($0) }
        return verify(records)
    }

    /// Verifies records in chain (`seq`) order.
    public static func verify(_ records: [AuditRecord]) -> Verdict {
        var position: [String: Int] = [:]
        for (index, record) in records.enumerated() where position[record.hash] == nil {
            position[record.hash] = index
        }
        for (index, record) in records.enumerated() {
            let before = index > 0 ? records[index - 1] : nil
            let expected = before?.hash ?? AuditRecord.genesis
            let expectedSeq = (before?.seq ?? 0) + 1
            if record.computedHash != record.hash {
                return .broken(seq: record.seq, problem: "edited: its content does not match its hash")
            }
            if record.previousHash == expected {
                guard record.seq == expectedSeq else {
                    return .broken(seq: record.seq, problem: missing(from: expectedSeq, to: record.seq - 1)
                        + " (dropped, or the tail was truncated and then appended to)")
                }
                continue
            }
            if let later = position[record.previousHash], later > index {
                return .broken(seq: record.seq, problem: "reordered: it follows record \(records[later].seq), which comes after it")
            }
            if index + 1 < records.count, records[index + 1].previousHash == expected {
                return .broken(seq: record.seq, problem: "inserted: it does not follow record \(before?.seq ?? 0), and the record after it does")
            }
            if index >= 2, record.previousHash == records[index - 2].hash {
                return .broken(seq: records[index - 1].seq, problem: "inserted: the record after it follows the record before it")
            }
            if let earlier = position[record.previousHash], earlier < index {
                return .broken(seq: record.seq, problem: "dropped: it follows record \(records[earlier].seq), so "
                    + missing(from: records[earlier].seq + 1, to: record.seq - 1).lowercasedFirst + " from the chain")
            }
            if record.seq != expectedSeq {
                return .broken(seq: record.seq, problem: missing(from: expectedSeq, to: record.seq - 1) + " (dropped)")
            }
            return .broken(seq: record.seq, problem: "dropped or inserted: it follows a record that is not in the chain")
        }
        return .intact(count: records.count, head: records.last?.hash ?? AuditRecord.genesis)
    }

    private static func missing(from first: Int64, to last: Int64) -> String {
        if last < first { return "records are missing" }
        return first == last ? "record \(first) is missing" : "records \(first)–\(last) are missing"
    }
}

private extension String {
    var lowercasedFirst: String { prefix(1).lowercased() + dropFirst() }
}
