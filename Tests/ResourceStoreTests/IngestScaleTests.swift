import Foundation
import GRDB
import Policy
import ResourceStore
import Synchronization
import Testing

/// A generated fleet through JSON Lines, and readers of a file store while an ingest runs.
///
/// The fleet test uses 20 000 resources (with alerts, backups and samples: 37 000 records over
/// 20 chunks) so that it stays within a few seconds in a debug build; the 100 000 and 1 000 000
/// resource runs are benchmarks, measured in release builds with peak RSS.
@Suite(.serialized)
struct IngestScaleTests {
    typealias F = IngestFixtures

    @Test func aGeneratedFleetIngestsWithCorrectCounts() throws {
        // Given a JSON Lines fleet of 20 000 resources, read in 1 MiB chunks
        let bytes = F.fleetBytes(resources: 20_000)
        let expected = F.FleetCounts(resources: 20_000)
        let progress = Mutex<[IngestProgress]>([])

        // When it is ingested
        let store = try ResourceStore.inMemory()
        let summary = try store.ingest(.bytes(bytes), manifest: F.manifest(), now: F.now) { step in
            progress.withLock { $0.append(step) }
        }

        // Then every record is counted and stored
        #expect(summary.count(.resource) == expected.resources)
        #expect(summary.count(.alert) == expected.alerts)
        #expect(summary.count(.recoveryPoint) == expected.recoveryPoints)
        #expect(summary.count(.metricSample) == expected.metricSamples)
        #expect(summary.resourceTypeCounts == expected.types)
        #expect(try F.count("resource", in: store) == expected.resources)
        #expect(try F.count("metricSample", in: store) == expected.metricSamples)
        let aliased = try store.database.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM resource WHERE platform = 'pve'")
        }
        #expect(aliased == 0)
        // and progress went through every phase, reading to the last byte
        let steps = progress.withLock { $0 }
        #expect(Set(steps.map(\.phase)) == [.reading, .checking, .indexing, .done])
        #expect(steps.filter { $0.phase == .reading }.last?.bytesRead == bytes.count)
        #expect(steps.last?.fractionRead == 1)
    }

    @Test func readersSeeTheOldContentOrTheNewNeverAMix() throws {
        // Given a file store holding the base snapshot
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ingest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("store.sqlite").path
        let store = try ResourceStore.open(path: path)
        try store.ingest(.bytes(F.document(F.base)), manifest: F.manifest(), now: F.now)
        let fleet = F.FleetCounts(resources: 5_000)
        let old = Observation(resources: 5, alerts: 1, samples: 1)
        let new = Observation(resources: fleet.resources, alerts: fleet.alerts, samples: fleet.metricSamples)

        // When a reader counts rows in a loop while another connection ingests a fleet
        let done = Mutex(false)
        let seen = Mutex<Set<Observation>>([])
        let reader = Thread {
            let readerStore = try? ResourceStore.open(path: path, readOnly: true)
            while !done.withLock({ $0 }) {
                guard let observation = try? readerStore?.database.read(Observation.init) else { continue }
                seen.withLock { _ = $0.insert(observation) }
            }
        }
        reader.start()
        try store.ingest(.bytes(F.fleetBytes(resources: 5_000)), manifest: F.manifest(), now: F.now)
        let final = try store.database.read(Observation.init)
        done.withLock { $0 = true }
        while !reader.isFinished { Thread.sleep(forTimeInterval: 0.01) }

        // Then every read saw one whole snapshot
        #expect(final == new)
        let observations = seen.withLock { $0 }
        #expect(observations.isSubset(of: [old, new]), "\(observations)")
        #expect(observations.contains(old))
    }

    /// What one read transaction saw.
    struct Observation: Hashable, Sendable {
        var resources: Int
        var alerts: Int
        var samples: Int

        init(resources: Int, alerts: Int, samples: Int) {
            self.resources = resources
            self.alerts = alerts
            self.samples = samples
        }

        init(_ db: Database) throws {
            resources = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM resource") ?? -1
            alerts = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM alert") ?? -1
            samples = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM metricSample") ?? -1
        }
    }
}
