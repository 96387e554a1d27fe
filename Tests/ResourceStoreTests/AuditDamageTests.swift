import AuditLog
import Foundation
import ResourceStore
import Testing

/// The audit chain with its files deleted: an append never makes a chain whose head or file went
/// missing look whole.
@Suite(.serialized)
struct AuditDamageTests {
    @Test func aDeletedHeadOverANonEmptyChainIsRefused() throws {
        // Given a chain whose tail was cut, then its head deleted
        let directory = try TemporaryStoreDirectory()
        try directory.append(6)
        try directory.writeChain(Array(try directory.chainLines().prefix(4)))
        try FileManager.default.removeItem(atPath: directory.headPath)

        // When the next server appends, it is refused: following the last record would launder the cut
        let error = try #require(throws: AuditChainError.self) { try directory.open().appendAudit(AuditChainTests.record(7)) }
        #expect("\(error)".contains("head file \(directory.headPath) is missing or unreadable"), "\(error)")
        #expect(try directory.chainLines().count == 4)
    }

    @Test func aDeletedChainUnderItsHeadIsNotStartedAgain() throws {
        let directory = try TemporaryStoreDirectory()
        try directory.append(3)
        try FileManager.default.removeItem(atPath: directory.chainPath)

        let error = try #require(throws: AuditChainError.self) { try directory.open().appendAudit(AuditChainTests.record(4)) }
        #expect("\(error)".contains("its head says it reached record 3"), "\(error)")
        #expect(((try? directory.chainLines()) ?? []).isEmpty)
    }

    @Test func aNewChainAndAnIntactOneStillAppend() throws {
        let directory = try TemporaryStoreDirectory()
        try directory.append(2)
        let third = try directory.open().appendAudit(AuditChainTests.record(3))
        #expect(third.seq == 3)
    }
}
