import AssistantTools
import Fleet
import Foundation
import JSON
import Logging
import ResourceStore
import Synchronization
import Testing

/// A server that syncs answers from the last good sync, says how old it is, and keeps answering
/// when the source fails.
@Suite struct FleetSyncLoopTests {
    /// A source that answers what the test says: a fleet of `names`, or a failure.
    final class ScriptedSource: FleetSource, Sendable {
        let answer = Mutex<Result<[String], SourceDown>>(.success(["web-01"]))
        /// For each fetch, whether it ran on a thread scheduled only when the CPU is idle.
        let fetchedWhenIdle = Mutex<[Bool]>([])
        var description: String { "Pulse at http://127.0.0.1:1" }

        struct SourceDown: Error, CustomStringConvertible {
            var description: String { "Pulse at http://127.0.0.1:1 is unreachable (connection refused)" }
        }

        func fetch() async throws -> FleetBatch {
            fetchedWhenIdle.withLock { $0.append(StoreExecutor.currentThreadIsIdleScheduled) }
            let names = try answer.withLock { $0 }.get()
            let resources: [JSONObject] = names.map { name in
                ["id": .string("agent-\(name)"), "type": "agent", "platform": "agent", "name": .string(name), "status": "online"]
            }
            return FleetBatch(source: description, resources: resources)
        }
    }

    /// A clock the test moves.
    final class TestClock: Sendable {
        let seconds = Mutex<Int64>(1_795_860_000)
        var clock: ServerClock { ServerClock { [self] in seconds.withLock { $0 } * 1000 } }
        func advance(_ by: Int64) { seconds.withLock { $0 += by } }
    }

    struct Harness {
        let source = ScriptedSource()
        let time = TestClock()
        let loop: FleetSyncLoop
        let client: InProcessClient

        init() throws {
            let store = try ResourceStore.inMemory()
            let freshness = DataFreshness(source: source.description, interval: .seconds(30), firstSyncWait: .zero, clock: time.clock)
            let stores = StoreProvider(store, description: "memory", freshness: freshness)
            loop = FleetSyncLoop(
                source: source, store: store, manifest: Fixtures.manifest, freshness: freshness, clock: time.clock,
                logger: Logger(label: "tests")
            )
            client = InProcessClient(AssistantServer.make(
                manifest: Fixtures.manifest, manifestSource: "tests", stores: stores,
                control: AssistantServer.Control(clock: time.clock)
            ))
        }

        func search() async throws -> JSONValue {
            try await client.ensureInitialized()
            return try #require(try await client.callTool("search_resources")["structuredContent"])
        }
    }

    /// The walk and the write run on the background threads, which yield a core to any tool call.
    @Test func aSyncRunsOnThreadsThatYieldToToolCalls() async throws {
        let harness = try Harness()
        #expect(StoreExecutor.currentThreadIsIdleScheduled == false)
        #expect(await harness.loop.syncOnce() != nil)
        #expect(harness.source.fetchedWhenIdle.withLock { $0 } == [true])
    }

    @Test func beforeTheFirstSyncAnswersSayThereIsNoDataYet() async throws {
        let harness = try Harness()
        let answer = try await harness.search()
        #expect(answer["stale"] == true)
        #expect(answer["dataAsOf"] == nil)
        #expect(answer["dataNote"]?.stringValue?.contains("has not finished") == true)
    }

    @Test func answersCarryTheLastGoodSyncAndTurnStaleWhenThePulseServerIsDown() async throws {
        let harness = try Harness()
        #expect(await harness.loop.syncOnce() != nil)
        var answer = try await harness.search()
        #expect(answer["dataAsOf"] == "2026-11-28T10:00:00Z")
        #expect(answer["stale"] == false)
        #expect(answer["resources"]?.arrayValue?.count == 1)

        harness.source.answer.withLock { $0 = .failure(.init()) }
        harness.time.advance(61)
        #expect(await harness.loop.syncOnce() == nil)
        answer = try await harness.search()
        #expect(answer["dataAsOf"] == "2026-11-28T10:00:00Z")
        #expect(answer["stale"] == true)
        #expect(answer["resources"]?.arrayValue?.count == 1, "the last good data is still served")
        #expect(answer["dataNote"]?.stringValue?.contains("unreachable") == true)

        harness.source.answer.withLock { $0 = .success(["web-01", "web-02"]) }
        #expect(await harness.loop.syncOnce() != nil)
        answer = try await harness.search()
        #expect(answer["stale"] == false)
        #expect(answer["dataAsOf"] == "2026-11-28T10:01:01Z")
        #expect(answer["resources"]?.arrayValue?.count == 2)
    }

    @Test func theInstructionsNameTheSourceAndTheStalenessContract() async throws {
        let harness = try Harness()
        let result = try await harness.client.initialize()
        let instructions = try #require(result["instructions"]?.stringValue)
        #expect(instructions.contains("synced from Pulse at http://127.0.0.1:1 every 30 s"))
        #expect(instructions.contains("stale: true once that is older than 60 s"))
    }
}
