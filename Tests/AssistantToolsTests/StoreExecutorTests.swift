import AssistantTools
import Dispatch
import GRDB
import JSON
import ResourceStore
import Synchronization
import Testing

/// Blocking store work runs on the store's threads: while queries hold more threads than the
/// cooperative pool has, the pool's tasks and the fast tools still answer.
@Suite("store executor")
struct StoreExecutorTests {
    /// Lets the held queries go, once.
    final class Gate: Sendable {
        let semaphore = DispatchSemaphore(value: 0)
        let started = Mutex(0)
        let onStoreThreads = Mutex<[Bool]>([])

        func release(_ count: Int) {
            for _ in 0..<count { semaphore.signal() }
        }
    }

    /// A slow query: a read transaction held until the test lets it go.
    struct HeldQueryTool: Tool {
        let store: ResourceStore
        let gate: Gate

        var descriptor: ToolDescriptor {
            ToolDescriptor(
                name: "held_query", title: "Held query", description: "Holds a read until released.",
                inputSchema: ["type": "object", "additionalProperties": false], outputSchema: ["type": "object"], annotations: .read
            )
        }

        /// Blocking, as the store's reads are.
        func heldRead() throws -> Int {
            try store.database.read { db in
                gate.semaphore.wait()
                return try Int.fetchOne(db, sql: "SELECT count(*) FROM resource") ?? -1
            }
        }

        func call(_ arguments: JSONObject, context: ToolContext) async throws(ToolError) -> JSONValue {
            gate.started.withLock { $0 += 1 }
            gate.onStoreThreads.withLock { $0.append(StoreExecutor.isCurrent) }
            do {
                return ["resources": .integer(Int64(try heldRead()))]
            } catch {
                throw .internalFailure("\(error)")
            }
        }
    }

    /// Threads of this suite's own: the process's shared ones may be busy with other suites' work.
    static let threads = StoreExecutor(threadCount: 4)

    @Test("three held queries (more than the pool's threads) leave the pool and a fast tool answering")
    func heldQueries() async throws {
        let held = 3
        let gate = Gate()
        let server = MCPServer(
            configuration: .init(name: "t", title: "t", version: "1", instructions: ""),
            registry: ToolRegistry([HeldQueryTool(store: try ResourceStore.inMemory(), gate: gate), StubTool(name: "echo")]),
            storeThreads: Self.threads
        )
        let client = InProcessClient(server)
        try await client.initialize()
        // Were the pool blocked, nothing below could run: the gate opens anyway after 30 s, and the test fails on time.
        DispatchQueue.global().asyncAfter(deadline: .now() + 30) { gate.release(held) }

        let queries = Task {
            try await withThrowingTaskGroup(of: JSONValue.self) { group in
                for _ in 0..<held { group.addTask { try await client.callTool("held_query") } }
                var results: [JSONValue] = []
                for try await result in group { results.append(result) }
                return results
            }
        }
        let clock = ContinuousClock()
        let start = clock.now
        while gate.started.withLock({ $0 }) < held, clock.now - start < .seconds(20) {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(gate.started.withLock { $0 } == held)

        let fastStart = clock.now
        for count in 1...20 {
            let result = try await client.callTool("echo", ["count": .integer(Int64(count))])
            #expect(result["structuredContent"]?["count"] == .integer(Int64(count)))
        }
        #expect(await Task { 42 }.value == 42)
        #expect(clock.now - fastStart < .seconds(3))

        gate.release(held)
        let results = try await queries.value
        #expect(results.count == held)
        #expect(results.allSatisfy { $0["structuredContent"]?["resources"] == 0 })
        #expect(gate.onStoreThreads.withLock { $0 } == Array(repeating: true, count: held))
    }

    @Test("run executes its body on a store thread and hands back its value or its error")
    func run() async throws {
        #expect(!StoreExecutor.isCurrent)
        #expect(await StoreExecutor.shared.run { StoreExecutor.isCurrent })
        struct Failure: Error, Equatable {}
        await #expect(throws: Failure()) { try await StoreExecutor.shared.run { () throws(Failure) -> Int in throw Failure() } }
    }

    @Test("threads are scheduled as asked: the background ones only when a core is idle", arguments: [
        (StoreExecutor.Scheduling.normal, false), (.idle, true),
    ])
    func scheduling(_ scheduling: StoreExecutor.Scheduling, idle: Bool) async {
        let threads = StoreExecutor(threadCount: 1, name: "test", scheduling: scheduling)
        #expect(await threads.run { StoreExecutor.currentThreadIsIdleScheduled } == idle)
        #expect(await StoreExecutor.background.run { StoreExecutor.currentThreadIsIdleScheduled })
        #expect(await StoreExecutor.shared.run { StoreExecutor.currentThreadIsIdleScheduled } == false)
    }
}
