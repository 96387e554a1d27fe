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
/// | a line of the file that is not a record | not an audit record: edited, or a write cut short |
/// | a head further on than the last record | missing from the end |
/// | a head whose hash is not its record's | the end was rewritten |
package enum AuditVerifier {
    package enum Verdict: Sendable, Equatable {
        /// The chain is whole: how many records, and the last one's hash (to keep elsewhere as an anchor).
        case intact(count: Int, head: String)
        /// The first bad record, and what is wrong with it.
        case broken(seq: Int64, problem: String)
    }

    /// Reads and verifies a whole chain, its head included.
    ///
    /// A whole chain is checked in one pass that keeps only the last few records, so a chain of
    /// millions verifies in constant memory; only a broken one is read again, whole, to name the first
    /// bad record and how it is bad.
    ///
    /// - Throws: when the chain's files cannot be read at all.
    package static func verify(_ chain: any AuditChain) throws -> Verdict {
        if let verdict = try verifyInOnePass(chain) { return verdict }
        var records: [AuditRecord] = []
        do {
            let head = try chain.scan { records.append($0) }
            return verify(records, head: head)
        } catch AuditChainError.unreadable(let line, let reason) {
            // A bad record before the bad line is the first thing wrong.
            if case .broken(let seq, let problem) = verify(records) { return .broken(seq: seq, problem: problem) }
            return .broken(seq: (records.last?.seq ?? 0) + 1, problem: "line \(line) is not an audit record (\(reason)): edited, or a write cut short")
        }
    }

    /// Verifies records in chain order, then that they reach `head`, the end recorded at the last
    /// append: a chain shorter than its head had records cut from its end.
    package static func verify(_ records: [AuditRecord], head: AuditHead?) -> Verdict {
        let verdict = verify(records)
        guard case .intact = verdict else { return verdict }
        return headProblem(last: records.last, head: head) { seq in records.last { $0.seq == seq }?.hash } ?? verdict
    }

    /// The verdict on a chain whose every record follows the one before it, or nil when one does not
    /// (or the head's record is too far back to have been kept).
    private static func verifyInOnePass(_ chain: any AuditChain) throws -> Verdict? {
        struct NotWhole: Error {}
        var last: AuditRecord?
        var count = 0
        // The head names the last record written with it, which is the last one or, after a process was
        // killed between its two writes, one of the few before it.
        var recent: [(seq: Int64, hash: String)] = []
        let head: AuditHead?
        do {
            head = try chain.scan { record in
                guard record.hash == record.computedHash, record.previousHash == (last?.hash ?? AuditRecord.genesis),
                      record.seq == (last?.seq ?? 0) + 1
                else { throw NotWhole() }
                last = record
                count += 1
                if recent.count == 16 { recent.removeFirst() }
                recent.append((record.seq, record.hash))
            }
        } catch is NotWhole {
            return nil
        } catch AuditChainError.unreadable {
            return nil
        }
        if let head, let oldest = recent.first, head.seq <= (last?.seq ?? 0), head.seq < oldest.seq { return nil }
        return headProblem(last: last, head: head) { seq in recent.last { $0.seq == seq }?.hash }
            ?? .intact(count: count, head: last?.hash ?? AuditRecord.genesis)
    }

    /// What is wrong with a whole chain ending in `last` (nil when empty) given the recorded `head`, if anything.
    private static func headProblem(last: AuditRecord?, head: AuditHead?, hashOf: (Int64) -> String?) -> Verdict? {
        let lastSeq = last?.seq ?? 0
        guard let head else {
            guard let last else { return nil }
            return .broken(seq: last.seq, problem: "the head file is missing or unreadable, so records cut from the end cannot be found")
        }
        if head.seq > lastSeq {
            return .broken(seq: lastSeq + 1, problem: missing(from: lastSeq + 1, to: head.seq)
                + " from the end: the head says the chain reached record \(head.seq)")
        }
        if let hash = hashOf(head.seq), hash != head.hash {
            return .broken(seq: head.seq, problem: "the head says this record's hash is \(head.hash.prefix(12))…, "
                + "but it is \(hash.prefix(12))…: the end of the chain was rewritten")
        }
        return nil
    }

    /// Verifies records in chain order.
    static func verify(_ records: [AuditRecord]) -> Verdict {
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
