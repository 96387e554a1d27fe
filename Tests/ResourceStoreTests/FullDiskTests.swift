import AuditLog
import Fleet
import Foundation
import Testing

@testable import ResourceStore

/// A full disk, for real: a tmpfs of a few hundred KiB or MiB (``SmallDisk``). A failed audit append
/// leaves no torn line; an ingest that fails at COMMIT leaves no WAL as large as its snapshot.
@Suite(.serialized)
struct FullDiskTests {
    typealias F = IngestFixtures

    @Test(.enabled(if: SmallDisk.isAvailable, "mounting a tmpfs needs root"))
    func aFullDiskLeavesNoTornLine() throws {
        // Given a chain on a tmpfs with a few KiB left
        let disk = try SmallDisk(bytes: 512 << 10)
        let store = disk.path("fleet.db")
        let chain = try AuditFile(path: ResourceStore.auditPath(for: store), headPath: ResourceStore.auditHeadPath(for: store))
        _ = try chain.append(AuditChainTests.record(1))
        try disk.fill(leaving: 8192)

        // When appends go on until the disk is full
        var appended = 1
        var failure: (any Error)?
        while failure == nil, appended < 10_000 {
            do {
                _ = try chain.append(AuditChainTests.record(appended + 1))
                appended += 1
            } catch {
                failure = error
            }
        }

        // Then the append failed, the chain holds whole records only and verifies, and appends go on once there is room
        guard let failure else {
            Issue.record("the disk never filled")
            return
        }
        #expect("\(failure)".contains("No space left on device"), "\(failure)")
        let last = try Self.lastHash(chain) ?? ""
        #expect(try AuditVerifier.verify(chain) == .intact(count: appended, head: last))
        try disk.empty()
        _ = try chain.append(AuditChainTests.record(appended + 1))
        guard case .intact(let count, _) = try AuditVerifier.verify(chain) else {
            Issue.record("the chain broke after the disk filled")
            return
        }
        #expect(count == appended + 1)
    }

    @Test(.enabled(if: SmallDisk.isAvailable, "mounting a tmpfs needs root"))
    func anIngestFailingOnAFullDiskLeavesNoLargeWAL() throws {
        // Given a store on a tmpfs of 8 MiB
        let disk = try SmallDisk(bytes: 8 << 20)
        let path = disk.path("fleet.db")
        let store = try ResourceStore.open(path: path, audited: false)
        try store.ingest(.bytes(F.document(F.base)), manifest: F.manifest(), now: F.now)

        // When a snapshot too large for the disk is ingested
        #expect(throws: StoreError.self) {
            try store.ingest(.bytes(F.fleetBytes(resources: 30_000)), manifest: F.manifest(), now: F.now)
        }

        // Then the WAL was truncated, and the store opens and holds what it held
        let wal = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
        #expect(wal < 1 << 20, "the WAL is \(wal) bytes")
        #expect(try F.count("resource", in: ResourceStore.open(path: path, audited: false)) == 5)
    }

    static func lastHash(_ chain: AuditFile) throws -> String? {
        var last: String?
        try chain.scan { last = $0.hash }
        return last
    }
}
