import AssistantTools
import Fleet
import JSON
import ResourceStore
import Synchronization
import Testing

/// On a synced store `get_metrics` asks the source for the resource's `metricsTarget`, once per
/// interval, and says why when there is nothing to ask for or the source refuses.
@Suite struct MetricHistoryTests {
    final class CountingSource: MetricHistorySource, Sendable {
        let calls = Mutex<[String]>([])
        let refusal = Mutex<String?>(nil)

        struct Refused: Error, CustomStringConvertible { var description: String }

        func history(
            resourceType: String, resourceId: String, metric: String, range: String, maxPoints: Int
        ) async throws -> [(at: Timestamp, value: Double)] {
            calls.withLock { $0.append("\(resourceType) \(resourceId) \(metric) \(range)") }
            if let refusal = refusal.withLock({ $0 }) { throw Refused(description: refusal) }
            return (0..<10).map { (at: Timestamp(secondsSince1970: 1_795_860_000 - 3_600 + Int64($0) * 360), value: Double($0)) }
        }
    }

    static let now = Timestamp(secondsSince1970: 1_795_860_000)

    static func client(_ source: CountingSource) throws -> InProcessClient {
        let store = try ResourceStore.inMemory()
        let batch = FleetBatch(source: "Pulse at http://127.0.0.1:1", resources: [
            ["id": "vm-1", "type": "vm", "platform": "proxmox-pve", "name": "web", "status": "online",
             "details": ["pulse": ["metricsTarget": ["resourceType": "vm", "resourceId": "lab:pve1:101"]]]],
            ["id": "vm-2", "type": "vm", "platform": "proxmox-pve", "name": "db", "status": "online"],
        ])
        var checker = FleetBatchChecker(manifest: Fixtures.manifest)
        try store.sync(checker.check(batch), now: now)
        let clock = ServerClock.fixed(now)
        let cache = MetricHistoryCache(source: source, lifetime: .seconds(30), clock: clock)
        let stores = StoreProvider(store, description: "memory", metricHistory: cache)
        return InProcessClient(AssistantServer.make(
            manifest: Fixtures.manifest, manifestSource: "tests", stores: stores, control: AssistantServer.Control(clock: clock)
        ))
    }

    @Test func historyComesFromTheMetricsTargetAndIsAskedForOncePerInterval() async throws {
        let source = CountingSource()
        let client = try Self.client(source)
        try await client.ensureInitialized()
        let arguments: JSONValue = ["resourceId": "vm-1", "metric": "cpu", "since": "2026-11-28T09:30:00Z", "maxPoints": 3]
        let result = try await client.callTool("get_metrics", arguments)
        let answer = try #require(result["structuredContent"])
        #expect(answer["sampleCount"] == 5)
        #expect(answer["points"]?.arrayValue?.count == 3)
        #expect(answer["downsampled"] == true)
        _ = try await client.callTool("get_metrics", arguments)
        #expect(source.calls.withLock { $0 } == ["vm lab:pve1:101 cpu 1h"])
    }

    @Test func noMetricsTargetOrARefusalIsAnErrorThatSaysWhy() async throws {
        let source = CountingSource()
        let client = try Self.client(source)
        try await client.ensureInitialized()
        let missing = try await client.callTool("get_metrics", ["resourceId": "vm-2", "metric": "cpu"])
        #expect(missing["isError"] == true)
        #expect(missing["content"]?[0]?["text"]?.stringValue?.contains("no metricsTarget") == true)

        source.refusal.withLock { $0 = "Pulse answered 402: history beyond 7 days needs a Pro license" }
        let refused = try await client.callTool("get_metrics", ["resourceId": "vm-1", "metric": "memory", "since": "2026-11-01T00:00:00Z"])
        #expect(refused["isError"] == true)
        #expect(refused["content"]?[0]?["text"]?.stringValue?.contains("402") == true)
        #expect(source.calls.withLock { $0 } == ["vm lab:pve1:101 memory 30d"])
    }
}
