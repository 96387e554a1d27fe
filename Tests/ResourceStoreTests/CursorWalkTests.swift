import Fleet
import Foundation
import JSON
import Policy
import ResourceStore
import Synchronization
import Testing

/// Keyset cursors over a file store while another connection replaces its content.
@Suite("Cursor walk during ingest")
struct CursorWalkTests {
    @Test("a walk over a 10k-resource fleet returns every supported resource once, across a concurrent ingest")
    func walkAcrossIngest() async throws {
        // Given a file store (WAL pool) holding the demo fleet at about 10 000 resources
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("walk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("store.db").path
        let manifest = try IngestFixtures.manifest()
        var bytes: [UInt8] = []
        DemoFleet(seed: 7, scale: DemoFleet.scale(forResourceCount: 10_000)).records { record in
            JSONSerializer.append(record.jsonLine, to: &bytes)
            bytes.append(UInt8(ascii: "\n"))
        }
        let snapshot = bytes
        try ResourceStore.open(path: path).ingest(.bytes(snapshot), manifest: manifest, now: IngestFixtures.now)
        let hidden = manifest.platforms.filter { !$0.isSupported }.map(\.id.rawValue)
        let reader = try ResourceStore.open(path: path)
        let expected = try reader.read { try $0.count(Self.query(hidden: hidden, after: nil)) }
        #expect(expected >= 8_000)

        // When another connection replaces the content with the same snapshot while the walk goes on
        let ingests = Mutex(0)
        let writer = Thread {
            do {
                try ResourceStore.open(path: path).ingest(.bytes(snapshot), manifest: manifest, now: IngestFixtures.now)
                ingests.withLock { $0 += 1 }
            } catch {
                ingests.withLock { $0 = -1 }
            }
        }
        writer.start()
        var seen: [String] = []
        var after: ResourceKey?
        var pages = 0
        repeat {
            let page = try reader.read { try $0.search(Self.query(hidden: hidden, after: after)) }
            seen += page.rows.map(\.id)
            #expect(page.rows.allSatisfy { !hidden.contains($0.platform) })
            after = page.next
            pages += 1
            // Halfway, let the replacement commit, so that the second half of the walk reads the new content.
            if pages == expected / 200 / 2 {
                while ingests.withLock({ $0 }) == 0 { try await Task.sleep(for: .milliseconds(20)) }
            }
        } while after != nil

        // Then the replacement committed mid-walk, and every supported resource came exactly once
        #expect(ingests.withLock { $0 } == 1)
        #expect(seen.count == expected)
        #expect(Set(seen).count == seen.count)
    }

    static func query(hidden: [String], after: ResourceKey?) -> ResourceQuery {
        var query = ResourceQuery()
        query.hiddenPlatforms = hidden
        query.after = after
        query.limit = 200
        return query
    }
}
