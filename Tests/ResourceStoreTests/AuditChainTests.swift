import Foundation
import GRDB
import ResourceStore
import Testing

/// The audit chain: appends link each record to the one before, and every kind of tampering is found
/// and named.
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

    static func execute(_ store: ResourceStore, _ sql: String) throws {
        try store.auditDatabase.write { db in try db.execute(sql: sql) }
    }

    @Test func appendsLinkEachRecordToTheOneBefore() throws {
        let store = try ResourceStore.inMemory()
        let first = try store.appendAudit(Self.record(1))
        let second = try store.appendAudit(Self.record(2))

        #expect(first.seq == 1)
        #expect(first.previousHash == AuditRecord.genesis)
        #expect(first.hash == first.computedHash)
        #expect(first.hash.count == 64)
        #expect(second.seq == 2)
        #expect(second.previousHash == first.hash)
        #expect(try AuditVerifier.verify(store) == .intact(count: 2, head: second.hash))
    }

    @Test func anEmptyChainIsIntact() throws {
        #expect(try AuditVerifier.verify(try ResourceStore.inMemory()) == .intact(count: 0, head: AuditRecord.genesis))
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

    @Test("each kind of tampering is found and named", arguments: [
        ("UPDATE audit SET outcome = 'ok', arguments = '{}' WHERE seq = 4", Int64(4), "edited"),
        ("DELETE FROM audit WHERE seq = 4", 5, "record 4 is missing"),
        ("DELETE FROM audit WHERE seq IN (3, 4)", 5, "records 3–4 are missing"),
        ("DELETE FROM audit WHERE seq = 1", 2, "record 1 is missing"),
        ("""
         UPDATE audit SET seq = -1 WHERE seq = 3; UPDATE audit SET seq = 3 WHERE seq = 4; UPDATE audit SET seq = 4 WHERE seq = -1
         """, 3, "reordered"),
    ] as [(String, Int64, String)])
    func tampering(sql: String, seq: Int64, problem: String) throws {
        let store = try Self.chain(6)
        try Self.execute(store, sql)

        guard case .broken(let found, let said) = try AuditVerifier.verify(store) else {
            Issue.record("verify passed after: \(sql)")
            return
        }
        #expect(found == seq)
        #expect(said.contains(problem), "\(said)")
    }

    @Test func anInsertedRecordIsFoundEvenWithAHashOfItsOwn() throws {
        let store = try Self.chain(6)
        let third = try #require(try store.auditRecords(AuditFilter(limit: 100)).first { $0.seq == 3 })
        var forged = Self.record(99, tool: "control_resource")
        forged.previousHash = third.hash
        forged.hash = forged.computedHash
        try store.auditDatabase.write { db in
            for seq in stride(from: 6, through: 4, by: -1) {
                try db.execute(sql: "UPDATE audit SET seq = ? WHERE seq = ?", arguments: [seq + 1, seq])
            }
            try db.execute(sql: """
                INSERT INTO audit (seq, at, session, clientName, clientVersion, tool, arguments, resourceId, outcome,
                    durationMicroseconds, previousHash, hash) VALUES (4, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [forged.at, forged.session, forged.clientName, forged.clientVersion, forged.tool,
                                 forged.arguments, forged.resourceId, forged.outcome, forged.durationMicroseconds,
                                 forged.previousHash, forged.hash])
        }

        #expect(try AuditVerifier.verify(store) == .broken(seq: 4, problem: "inserted: the record after it follows the record before it"))
    }

    @Test func aTruncatedTailThenAnAppendLeavesAGap() throws {
        let store = try Self.chain(6)
        try Self.execute(store, "DELETE FROM audit WHERE seq > 4")

        let appended = try store.appendAudit(Self.record(7))

        #expect(appended.seq == 7)
        guard case .broken(let seq, let problem) = try AuditVerifier.verify(store) else {
            Issue.record("a truncated chain verified")
            return
        }
        #expect(seq == 7)
        #expect(problem.contains("records 5–6 are missing"))
        #expect(problem.contains("truncated"))
    }

    @Test func twoStoresAppendingConcurrentlyKeepOneChain() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("audit-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let stores = try [ResourceStore.open(path: path), ResourceStore.open(path: path)]

        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<2 {
                group.addTask {
                    for index in 0..<50 { try stores[writer].appendAudit(Self.record(writer * 100 + index)) }
                }
            }
            try await group.waitForAll()
        }

        guard case .intact(let count, _) = try AuditVerifier.verify(stores[0]) else {
            Issue.record("the chain broke under concurrent appends")
            return
        }
        #expect(count == 100)
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
