import AssistantTools
import Fleet
import GRDB
import JSON
import Logging
import Policy
import PulseClient
import ResourceStore
import Synchronization
import Testing

/// Syncs from the fake Pulse that recognise unchanged rows by their raw bytes: nothing parsed when
/// nothing changed, about the churned rows when some did, and a store row for row the one a sync
/// that reads every row makes.
@Suite(.serialized, .enabled(if: FakePulse.isAvailable, "python3 and the fake Pulse are needed"))
struct RawRowSyncTests {
    static let token = "raw-row-tok-5e6f7a8b9c0d"
    static let resources = 2_000

    struct Synced {
        var summary: SyncSummary
        var walk: PulseWalkStats
    }

    /// One sync as `pulse-assistant sync` makes it: the walk recognising the rows the store keeps
    /// (unless `recognising` is false), the write, and a walk reading every row again if the store
    /// says a recognised row is no longer as it keeps it.
    @discardableResult
    static func sync(
        _ store: ResourceStore, _ fake: FakePulse, manifest: PlatformSupportManifest = Fixtures.manifest, recognising: Bool = true
    ) async throws -> Synced {
        let client = try fake.client(token: token)
        do {
            let synced = try await sync(store, client, manifest: manifest, recognising: recognising)
            await client.shutdown()
            return synced
        } catch {
            await client.shutdown()
            throw error
        }
    }

    private static func sync(
        _ store: ResourceStore, _ client: PulseHTTPClient, manifest: PlatformSupportManifest, recognising: Bool
    ) async throws -> Synced {
        let walker = PulseWalker(client: client, manifest: manifest, logger: Logger(label: "tests"))
        let now = Timestamp(secondsSince1970: 1_795_860_000)
        var walk = try await walker.sync(known: recognising ? try store.syncedRawRows() : [:])
        do {
            let summary = try store.sync(walk.batch, checker: FleetBatchChecker(manifest: manifest), now: now, shrinkGuard: nil)
            return Synced(summary: summary, walk: walk.stats)
        } catch is FleetRecognitionStale {
            walk = try await walker.sync()
            let summary = try store.sync(walk.batch, checker: FleetBatchChecker(manifest: manifest), now: now, shrinkGuard: nil)
            return Synced(summary: summary, walk: walk.stats)
        }
    }

    /// A fake of `resources` rows for `body`, stopped after it (awaited: a stop left to a task may
    /// never run before the test process exits, and the fake would outlive it).
    static func withFake(resources: Int = resources, seed: Int, _ body: (FakePulse) async throws -> Void) async throws {
        let fake = try FakePulse(resources: resources, seed: seed, token: token)
        do {
            try await body(fake)
        } catch {
            await fake.stop()
            throw error
        }
        await fake.stop()
    }

    /// POSTs `body` to one of the fake's control routes.
    static func control(_ fake: FakePulse, _ path: String, _ body: JSONValue) async throws -> PulseResponse {
        let control = try fake.client(token: nil)
        do {
            let answer = try await control.send(PulseRequest(method: .post, path: path, body: body))
            await control.shutdown()
            return answer
        } catch {
            await control.shutdown()
            throw error
        }
    }

    /// The fleet as a store keeps it, table by table, without what depends on the order rows were
    /// written in (rowids) or on when (the status facts).
    static func fleet(_ store: ResourceStore) throws -> [String: [String]] {
        let queries = [
            "resource": "SELECT id, type, platform, name, status, powerState, parentId, record FROM resource ORDER BY id",
            "resourceTag": "SELECT r.id, t.tag FROM resourceTag AS t JOIN resource AS r ON r.rowid = t.resourceRowid ORDER BY 1, 2",
            "resourceAlias": "SELECT * FROM resourceAlias ORDER BY alias",
            "agent": "SELECT * FROM agent ORDER BY id",
            "alert": "SELECT * FROM alert ORDER BY id",
            "recoveryPoint": "SELECT * FROM recoveryPoint ORDER BY id",
            "syncedRow": "SELECT * FROM syncedRow ORDER BY kind, id",
            "syncedRawRow": "SELECT * FROM syncedRawRow ORDER BY hash",
        ]
        return try store.database.read { db in
            try queries.mapValues { sql in try Row.fetchAll(db, sql: sql).map(\.description) }
        }
    }

    /// Asks the fake to change `percent` of its rows.
    static func churn(_ fake: FakePulse, percent: Double) async throws {
        let answer = try await control(fake, "/_fake/churn", ["percent": .double(percent)])
        #expect(answer.status == 200)
    }

    @Test func anUnchangedResyncParsesNoRowAndWritesNothing() async throws {
        try await Self.withFake(seed: 11) { fake in
            let store = try ResourceStore.inMemory()
            let first = try await Self.sync(store, fake)
            #expect(first.walk.parsedRows == Self.resources)
            #expect(first.walk.recognisedRows == 0)
            #expect(first.summary.rawRowsWritten > 0)
            let before = try Self.fleet(store)

            let again = try await Self.sync(store, fake)
            #expect(again.walk.parsedRows == 0, "every row recognised by its bytes")
            #expect(again.walk.recognisedRows == Self.resources)
            #expect(again.walk.recognitionRewalks == 0)
            #expect(again.summary.recognisedResources == again.summary.counts["resource"]?.unchanged)
            #expect(again.summary.recognisedResources > Self.resources / 2)
            #expect(again.summary.rowsWritten == 0)
            #expect(again.summary.rawRowsWritten == 0)
            #expect(again.summary.skipped == first.summary.skipped, "a skip is remembered with its reason")
            #expect(again.summary.unjoinedAlerts == first.summary.unjoinedAlerts)
            #expect(try Self.fleet(store) == before)
        }
    }

    @Test func aOnePercentChurnReadsAboutOnePercentAndStoresWhatAFullSyncStores() async throws {
        try await Self.withFake(seed: 12) { fake in
            let store = try ResourceStore.inMemory()
            try await Self.sync(store, fake)
            try await Self.churn(fake, percent: 1)

            let churned = try await Self.sync(store, fake)
            #expect(churned.walk.recognitionRewalks == 0)
            #expect(churned.walk.parsedRows >= Self.resources / 100, "the churned rows, and the children of renamed hosts")
            #expect(churned.walk.parsedRows <= Self.resources * 4 / 100)
            #expect(churned.walk.parsedRows + churned.walk.recognisedRows == Self.resources)
            #expect(churned.summary.rowsWritten > 0)
            let settled = try #require(churned.walk.aliasNamesSettled, "only the names the rows read touched are settled")
            let aliases = churned.summary.counts["alias"] ?? SyncSummary.Counts()
            #expect(settled < (aliases.unchanged + aliases.changed + aliases.added) / 4)

            let fresh = try ResourceStore.inMemory()
            let full = try await Self.sync(fresh, fake, recognising: false)
            #expect(full.walk.recognisedRows == 0)
            #expect(try Self.fleet(store) == Self.fleet(fresh), "aliases, the alert join, parents and hashes as a full read makes them")
            #expect(churned.summary.skipped.count == full.summary.skipped.count)
            #expect(churned.summary.unjoinedAlerts == full.summary.unjoinedAlerts)
            #expect(churned.summary.detachedResources == full.summary.detachedResources)
        }
    }

    /// Churn that reads more rows, several syncs in a row: each settles only the names its rows
    /// touched (or every name, when a row read changed its parent) and stores what a full read stores.
    @Test(arguments: [(seed: 13, percent: 5.0), (seed: 14, percent: 20.0)])
    func repeatedChurnStoresWhatAFullSyncStores(seed: Int, percent: Double) async throws {
        try await Self.withFake(seed: seed) { fake in
            let store = try ResourceStore.inMemory()
            try await Self.sync(store, fake)
            var scoped = 0
            var aliasesWritten = 0
            for _ in 0..<3 {
                try await Self.churn(fake, percent: percent)
                let churned = try await Self.sync(store, fake)
                #expect(churned.walk.recognisedRows > 0)
                let fresh = try ResourceStore.inMemory()
                try await Self.sync(fresh, fake, recognising: false)
                #expect(try Self.fleet(store) == Self.fleet(fresh))
                if churned.walk.aliasNamesSettled != nil { scoped += 1 }
                let aliases = churned.summary.counts["alias"] ?? SyncSummary.Counts()
                aliasesWritten += aliases.added + aliases.changed + aliases.removed
            }
            #expect(scoped > 0)
            #expect(aliasesWritten > 0, "renamed rows change the aliases they claim")
        }
    }

    /// When most rows changed (a live Pulse's metrics move in every row), every alias is compared
    /// at once rather than name by name.
    @Test func aSyncThatReadMostRowsSettlesEveryAlias() async throws {
        try await Self.withFake(seed: 15) { fake in
            let store = try ResourceStore.inMemory()
            try await Self.sync(store, fake)
            try await Self.churn(fake, percent: 100)
            let churned = try await Self.sync(store, fake)
            #expect(churned.walk.parsedRows > Self.resources / 2)
            #expect(churned.walk.aliasNamesSettled == nil)
            let fresh = try ResourceStore.inMemory()
            try await Self.sync(fresh, fake, recognising: false)
            #expect(try Self.fleet(store) == Self.fleet(fresh))
        }
    }

    @Test func aVanishedResourceIsDeletedAndItsRawRowWithIt() async throws {
        try await Self.withFake(seed: 13) { fake in
            let store = try ResourceStore.inMemory()
            try await Self.sync(store, fake)
            let vanished = try await Self.control(fake, "/_fake/vanish", ["count": 7])
            #expect(vanished.status == 200)

            let after = try await Self.sync(store, fake)
            #expect(after.summary.counts["resource"]?.removed == 7)
            #expect(after.summary.rawRowsRemoved >= 7)
            #expect(after.walk.parsedRows < Self.resources / 10)
            let fresh = try ResourceStore.inMemory()
            try await Self.sync(fresh, fake, recognising: false)
            #expect(try Self.fleet(store) == Self.fleet(fresh))
        }
    }

    @Test func aManifestChangeReadsEveryRowAgain() async throws {
        try await Self.withFake(resources: 500, seed: 14) { fake in
            let store = try ResourceStore.inMemory()
            try await Self.sync(store, fake)
            var manifest = Fixtures.manifest
            manifest.sourceLastUpdated = "a later edition of the manifest"
            let again = try await Self.sync(store, fake, manifest: manifest)
            #expect(again.walk.recognisedRows == 0)
            #expect(again.walk.parsedRows == 500)
            #expect(again.summary.rawRowsRemoved > 0, "the rows kept under the old manifest are gone")
            let third = try await Self.sync(store, fake, manifest: manifest)
            #expect(third.walk.parsedRows == 0)
        }
    }

    @Test func pagesThatKeepChangingLeaveNoRawRowAndTheNextSyncReadsEveryRow() async throws {
        try await Self.withFake(resources: 500, seed: 3) { fake in
            let store = try ResourceStore.inMemory()
            try await Self.sync(store, fake)
            try await fake.faults(["churn": ["afterPage": 2, "percent": 20, "times": 2]])
            let partial = try await Self.sync(store, fake)
            #expect(partial.walk.churnDetected)
            #expect(try store.syncedRawRows().isEmpty, "rows kept unseen: the raw rows describe no one walk")
            let next = try await Self.sync(store, fake)
            #expect(next.walk.recognisedRows == 0)
            #expect(next.walk.parsedRows == 500)
            let fresh = try ResourceStore.inMemory()
            try await Self.sync(fresh, fake, recognising: false)
            #expect(try Self.fleet(store) == Self.fleet(fresh))
        }
    }
}

/// The server's sync loop reads every row again when the store says a recognised row is no longer
/// as it keeps it, and the sync goes through.
@Suite struct RawRowSyncLoopTests {
    /// A source that, told of kept rows, recognises its one resource as a record the store never kept.
    final class StaleSource: FleetSource, Sendable {
        let asked = Mutex<[Int]>([])
        var description: String { "a source recognising what the store does not keep" }

        func fetch() async throws -> FleetBatch { try await fetch(known: [:]) }

        func fetch(known: [String: FleetRawRow]) async throws -> FleetBatch {
            asked.withLock { $0.append(known.count) }
            var batch = FleetBatch(
                source: description, resources: [["id": "agent-web", "type": "agent", "platform": "agent", "name": "web", "status": "online"]]
            )
            batch.rawRows = [FleetRawRow(hash: "raw-web", resourceId: "agent-web", memo: "{}")]
            if !known.isEmpty {
                batch.resources = []
                batch.recognised = [RecognisedResource(id: "agent-web", parentId: nil, recordHash: "not the stored record's")]
                batch.rawRows[0].isRecognised = true
            }
            return batch
        }
    }

    @Test func aStaleRecognitionIsReadAgainAndTheSyncSucceeds() async throws {
        let source = StaleSource()
        let store = try ResourceStore.inMemory()
        let clock = ServerClock { 1_795_860_000_000 }
        let freshness = DataFreshness(source: source.description, interval: .seconds(30), firstSyncWait: .zero, clock: clock)
        let loop = FleetSyncLoop(
            source: source, store: store, manifest: Fixtures.manifest, freshness: freshness, clock: clock, logger: Logger(label: "tests")
        )
        _ = try #require(await loop.syncOnce())
        let second = try #require(await loop.syncOnce(), "the stale recognition is read again, not a failed sync")
        #expect(source.asked.withLock { $0 } == [0, 1, 0])
        #expect(second.recognisedResources == 0)
        #expect(second.counts["resource"]?.unchanged == 1)
    }
}
