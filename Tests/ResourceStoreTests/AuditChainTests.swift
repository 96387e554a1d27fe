import AuditLog
import Foundation
import ResourceStore
import Testing

/// The audit chain: appends link each record to the one before, in memory and in the file beside a
/// store, and every kind of tampering with the file is found and named.
struct AuditChainTests {
    static func record(_ index: Int, tool: String = "get_resource") -> AuditRecord {
        AuditRecord(
            at: 1_795_860_000_000 + Int64(index), session: "s-1", clientName: "tests", clientVersion: "1.0", tool: tool,
            arguments: #"{"id":"vm/pve-a/\#(100 + index)"}"#, resourceId: "vm/pve-a/\(100 + index)", outcome: "ok",
            durationMicroseconds: 120
        )
    }

    /// A store holding a chain of `count` records.
    static func chain(_ count: Int) throws -> ResourceStore {
        let store = try ResourceStore.inMemory()
        for index in 1...count {
            try store.appendAudit(record(index))
        }
        return store
    }

    @Test("appends link each record to the one before", arguments: [false, true])
    func appendsLink(inFile: Bool) throws {
        let directory = try TemporaryStoreDirectory()
        let store = inFile ? try directory.open() : try ResourceStore.inMemory()
        let first = try store.appendAudit(Self.record(1))
        let second = try store.appendAudit(Self.record(2))

        #expect(first.seq == 1)
        #expect(first.previousHash == AuditRecord.genesis)
        #expect(first.hash == first.computedHash)
        #expect(first.hash.count == 64)
        #expect(second.seq == 2)
        #expect(second.previousHash == first.hash)
        #expect(try AuditVerifier.verify(store.audit) == .intact(count: 2, head: second.hash))
        #expect(try store.auditRecords(AuditFilter()) == [first, second])
    }

    @Test("an empty chain is intact", arguments: [false, true])
    func empty(inFile: Bool) throws {
        let directory = try TemporaryStoreDirectory()
        let store = inFile ? try directory.open() : try ResourceStore.inMemory()
        #expect(try AuditVerifier.verify(store.audit) == .intact(count: 0, head: AuditRecord.genesis))
    }

    @Test func aFileStoreKeepsItsChainInJSONLinesBesideIt() throws {
        let directory = try TemporaryStoreDirectory()
        let appended = try directory.open().appendAudit(Self.record(1))

        let lines = try directory.chainLines()
        #expect(lines.count == 1)
        #expect(lines[0].hasPrefix(#"{"seq":1,"hash":"\#(appended.hash)","actionId":null,"arguments":"#))
        let permissions = try FileManager.default.attributesOfItem(atPath: directory.chainPath)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        // A new process reads it back and goes on from it.
        let reopened = try directory.open()
        #expect(try reopened.appendAudit(Self.record(2)).previousHash == appended.hash)
        #expect(try AuditVerifier.verify(reopened.audit) == .intact(count: 2, head: try directory.chainRecords()[1].hash))
    }

    @Test func theCanonicalFormIsCompactJSONWithSortedKeys() throws {
        var record = Self.record(1)
        record.code = "ok \"quoted\""
        #expect(String(decoding: record.canonical, as: UTF8.self) == """
            {"actionId":null,"arguments":"{\\"id\\":\\"vm/pve-a/101\\"}","at":1795860000001,"clientName":"tests",\
            "clientVersion":"1.0","code":"ok \\"quoted\\"","controlClass":null,"durationMicroseconds":120,"outcome":"ok",\
            "previousHash":"\(AuditRecord.genesis)","resourceId":"vm/pve-a/101","route":null,"session":"s-1","tool":"get_resource"}
            """)
        // SHA-256 of those bytes, as lowercase hex.
        #expect(record.computedHash.count == 64)
        #expect(record.computedHash.allSatisfy { "0123456789abcdef".contains($0) })
    }

    @Test func theHashCoversEveryField() throws {
        let base = Self.record(1)
        var changed = [base, base, base, base, base]
        changed[0].arguments = #"{"id":"other"}"#
        changed[1].outcome = "refused"
        changed[2].previousHash = String(repeating: "1", count: 64)
        changed[3].clientVersion = "2.0"
        changed[4].actionId = "act-1"
        for record in changed {
            #expect(record.computedHash != base.computedHash)
        }
    }

    /// Each change made to the file of a 6-record chain, the record `verify` names, and what it says.
    static let edits: [(String, @Sendable (inout [String]) -> Void, Int64, String)] = [
        ("an edited field", { $0[3] = $0[3].replacingOccurrences(of: #""outcome":"ok""#, with: #""outcome":"refused""#) }, 4, "edited"),
        ("a deleted record", { $0.remove(at: 3) }, 5, "record 4 is missing"),
        ("two deleted records", { $0.removeSubrange(2...3) }, 5, "records 3–4 are missing"),
        ("the first record deleted", { $0.removeFirst() }, 2, "record 1 is missing"),
        ("two records swapped", { $0.swapAt(2, 3) }, 4, "reordered"),
        ("a line that is not JSON", { $0.insert("not a record", at: 3) }, 4, "line 4 is not an audit record (not JSON"),
        ("a field added", { $0[2] = $0[2].replacingOccurrences(of: #"{"seq":3,"#, with: #"{"seq":3,"approved":true,"#) }, 3,
         #"line 3 is not an audit record (unknown field "approved")"#),
        ("a field removed", { $0[4] = $0[4].replacingOccurrences(of: #""route":null,"#, with: "") }, 5, #"("route" is missing)"#),
        ("the tail cut off", { $0.removeLast(2) }, 5, "records 5–6 are missing from the end: the head says the chain reached record 6"),
        ("the last record cut off", { $0.removeLast() }, 6, "record 6 is missing from the end"),
        ("every record cut off", { $0.removeAll() }, 1, "records 1–6 are missing from the end"),
        ("the last record copied before itself", { $0.insert($0[5], at: 5) }, 6, "inserted"),
    ]

    @Test("each kind of tampering with the file is found and named", arguments: edits.indices)
    func tampering(index: Int) throws {
        let (what, change, seq, problem) = Self.edits[index]
        let directory = try TemporaryStoreDirectory()
        try directory.append(6)
        var lines = try directory.chainLines()
        change(&lines)
        try directory.writeChain(lines)

        guard case .broken(let found, let said) = try AuditVerifier.verify(directory.open().audit) else {
            Issue.record("verify passed after \(what)")
            return
        }
        #expect(found == seq, "\(what): \(said)")
        #expect(said.contains(problem), "\(what): \(said)")
    }

    @Test func anInsertedRecordIsFoundEvenWithAHashOfItsOwn() throws {
        let directory = try TemporaryStoreDirectory()
        try directory.append(6)
        var records = try directory.chainRecords()
        var forged = Self.record(99, tool: "control_resource")
        forged.seq = 4
        forged.previousHash = records[2].hash
        forged.hash = forged.computedHash
        records.insert(forged, at: 3)
        for index in 4..<records.count { records[index].seq += 1 }
        try directory.writeChain(records.map(\.lineText))

        #expect(try AuditVerifier.verify(directory.open().audit) == .broken(seq: 4, problem: "inserted: the record after it follows the record before it"))
    }

    @Test func aRewrittenLastRecordDoesNotMatchTheHead() throws {
        let directory = try TemporaryStoreDirectory()
        try directory.append(6)
        var records = try directory.chainRecords()
        records[5].outcome = "refused"
        records[5].hash = records[5].computedHash
        try directory.writeChain(records.map(\.lineText))

        guard case .broken(let seq, let problem) = try AuditVerifier.verify(directory.open().audit) else {
            Issue.record("a rewritten last record verified")
            return
        }
        #expect(seq == 6)
        #expect(problem.contains("the end of the chain was rewritten"), "\(problem)")
    }

    @Test func aChainWithoutItsHeadFileIsNotTrusted() throws {
        let directory = try TemporaryStoreDirectory()
        try directory.append(3)
        try FileManager.default.removeItem(atPath: directory.headPath)

        #expect(try AuditVerifier.verify(directory.open(readOnly: true).audit)
            == .broken(seq: 3, problem: "the head file is missing or unreadable, so records cut from the end cannot be found"))
    }

    @Test func aTruncatedTailThenAnAppendLeavesAGap() throws {
        let directory = try TemporaryStoreDirectory()
        try directory.append(6)
        try directory.writeChain(Array(try directory.chainLines().prefix(4)))

        let appended = try directory.open().appendAudit(Self.record(7))

        #expect(appended.seq == 7)
        guard case .broken(let seq, let problem) = try AuditVerifier.verify(directory.open().audit) else {
            Issue.record("a truncated chain verified")
            return
        }
        #expect(seq == 7)
        #expect(problem.contains("records 5–6 are missing"))
        #expect(problem.contains("truncated"))
    }

    @Test func aRecordWrittenWithoutItsHeadIsFollowed() throws {
        // A process killed between writing its record and the head: the next append links to the record.
        let directory = try TemporaryStoreDirectory()
        try directory.append(2)
        var records = try directory.chainRecords()
        var third = Self.record(3)
        third.seq = 3
        third.previousHash = records[1].hash
        third.hash = third.computedHash
        records.append(third)
        try directory.writeChain(records.map(\.lineText))

        let fourth = try directory.open().appendAudit(Self.record(4))

        #expect(fourth.seq == 4)
        #expect(fourth.previousHash == third.hash)
        #expect(try AuditVerifier.verify(directory.open().audit) == .intact(count: 4, head: fourth.hash))
    }

    @Test func aHeadFarBehindItsChainIsCheckedAgainstItsRecord() throws {
        // Records written after the head, more than the one pass keeps: the whole chain is read to find
        // the head's record.
        let directory = try TemporaryStoreDirectory()
        try directory.append(2)
        var records = try directory.chainRecords()
        for index in 3...22 {
            var next = Self.record(index)
            next.seq = Int64(index)
            next.previousHash = records[records.count - 1].hash
            next.hash = next.computedHash
            records.append(next)
        }
        try directory.writeChain(records.map(\.lineText))
        #expect(try AuditVerifier.verify(directory.open().audit) == .intact(count: 22, head: records[21].hash))

        var forged = records
        forged[1].outcome = "refused"
        forged[1].hash = forged[1].computedHash
        for index in 2..<forged.count {
            forged[index].previousHash = forged[index - 1].hash
            forged[index].hash = forged[index].computedHash
        }
        try directory.writeChain(forged.map(\.lineText))
        guard case .broken(let seq, let problem) = try AuditVerifier.verify(directory.open().audit) else {
            Issue.record("a chain rewritten from the head's record on verified")
            return
        }
        #expect(seq == 2)
        #expect(problem.contains("the end of the chain was rewritten"), "\(problem)")
    }

    @Test func aWriteCutShortIsReportedAndTheNextRecordStartsOnANewLine() throws {
        let directory = try TemporaryStoreDirectory()
        try directory.append(2)
        let handle = try #require(FileHandle(forWritingAtPath: directory.chainPath))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"seq":3,"hash":"ab"#.utf8))
        try handle.close()

        let third = try directory.open().appendAudit(Self.record(3))

        #expect(third.seq == 3)
        #expect(try directory.chainLines().count == 4)
        guard case .broken(let seq, let problem) = try AuditVerifier.verify(directory.open().audit) else {
            Issue.record("a torn line verified")
            return
        }
        #expect(seq == 3)
        #expect(problem.hasPrefix("line 3 is not an audit record (not JSON"), "\(problem)")
        #expect(problem.hasSuffix("edited, or a write cut short"))
    }

    @Test func aStoreOpenedForAnIngestLeavesTheChainAlone() throws {
        // Given a store opened as an ingest opens it, with no chain beside it yet
        let directory = try TemporaryStoreDirectory()
        let store = try ResourceStore.open(path: directory.storePath, audited: false)
        try store.ingest(.bytes(IngestFixtures.document(IngestFixtures.base)), manifest: IngestFixtures.manifest(), now: IngestFixtures.now)

        // Then no chain file was created, and an append is refused rather than starting one
        #expect(!FileManager.default.fileExists(atPath: directory.chainPath))
        #expect(!FileManager.default.fileExists(atPath: directory.headPath))
        #expect(throws: AuditChainError.self) { try store.appendAudit(Self.record(1)) }

        // And when a chain exists, the same open leaves it as it was
        try directory.append(1)
        let before = try directory.chainLines()
        try ResourceStore.open(path: directory.storePath, audited: false)
            .ingest(.bytes(IngestFixtures.document(IngestFixtures.base)), manifest: IngestFixtures.manifest(), now: IngestFixtures.now)
        #expect(try directory.chainLines() == before)
    }

    @Test func aReadOnlyChainRefusesAppends() throws {
        let directory = try TemporaryStoreDirectory()
        try directory.append(1)
        #expect(throws: AuditChainError.self) { try directory.open(readOnly: true).appendAudit(Self.record(2)) }
    }

    @Test func twoStoresAppendingConcurrentlyKeepOneChain() async throws {
        let directory = try TemporaryStoreDirectory()
        let stores = try [directory.open(), directory.open()]

        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<2 {
                group.addTask {
                    for index in 0..<200 { try stores[writer].appendAudit(Self.record(writer * 1000 + index)) }
                }
            }
            try await group.waitForAll()
        }

        guard case .intact(let count, _) = try AuditVerifier.verify(stores[0].audit) else {
            Issue.record("the chain broke under concurrent appends")
            return
        }
        #expect(count == 400)
        #expect(try directory.chainRecords().map(\.seq) == Array(1...400))
    }

    @Test func listFiltersAndKeepsChainOrder() throws {
        let store = try Self.chain(6)
        try store.appendAudit(Self.record(7, tool: "control_resource"))

        let control = try store.auditRecords(AuditFilter(tool: "control_resource"))
        #expect(control.map(\.seq) == [7])
        let lastThree = try store.auditRecords(AuditFilter(limit: 3))
        #expect(lastThree.map(\.seq) == [5, 6, 7])
        let window = try store.auditRecords(AuditFilter(since: 1_795_860_000_002, until: 1_795_860_000_004))
        #expect(window.map(\.seq) == [2, 3])
        let one = try store.auditRecords(AuditFilter(resourceId: "vm/pve-a/105"))
        #expect(one.map(\.seq) == [5])
    }
}
