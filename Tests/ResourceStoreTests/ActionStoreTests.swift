import Foundation
import GRDB
import ResourceStore
import Testing

/// Durable actions: written once per idempotency key, moved on only from the states they are in, and
/// kept across ingests.
struct ActionStoreTests {
    typealias F = IngestFixtures

    static func action(_ id: String, key: String? = nil, state: ActionRecord.State = .planned, at time: Int64 = 1_000) -> ActionRecord {
        ActionRecord(
            id: id, idempotencyKey: key, resourceId: "vm/pve-a/101", action: "stop", reason: "maintenance",
            request: #"{"action":"stop"}"#, controlLevel: "autonomous", decision: #"{"outcome":"route"}"#,
            state: state, createdAt: time
        )
    }

    @Test func recordsAnActionAndReadsItBackByIdAndKey() throws {
        let store = try ResourceStore.inMemory()
        let written = Self.action("act-1", key: "k-1")

        #expect(try store.record(written) == .recorded(written))

        #expect(try store.read { try $0.action(id: "act-1") } == written)
        #expect(try store.read { try $0.action(idempotencyKey: "k-1") } == written)
        #expect(try store.read { try $0.action(id: "act-2") } == nil)
    }

    @Test func aSecondActionWithTheSameKeyGetsTheFirstBackAndWritesNothing() throws {
        let store = try ResourceStore.inMemory()
        let first = Self.action("act-1", key: "same")
        #expect(try store.record(first) == .recorded(first))

        let second = try store.record(Self.action("act-2", key: "same", at: 2_000))

        #expect(second == .existing(first))
        #expect(try F.count("action", in: store) == 1)
    }

    @Test func actionsWithoutAKeyNeverCollide() throws {
        let store = try ResourceStore.inMemory()
        for action in [Self.action("act-1"), Self.action("act-2")] {
            #expect(try store.record(action) == .recorded(action))
        }
        #expect(try F.count("action", in: store) == 2)
    }

    @Test func advancesThroughItsStatesWithTimes() throws {
        let store = try ResourceStore.inMemory()
        let recorded = Self.action("act-1")
        #expect(try store.record(recorded) == .recorded(recorded))

        let dispatched = try #require(try store.advance(action: "act-1", from: [.planned], to: .dispatched, at: 1_100))
        #expect(dispatched.state == .dispatched)
        #expect(dispatched.dispatchedAt == 1_100)
        #expect(dispatched.finishedAt == nil)

        let done = try #require(try store.advance(
            action: "act-1", from: [.dispatched], to: .completed, at: 1_250, message: "stopped", observed: #"{"powerState":"stopped"}"#
        ))
        #expect(done.state == .completed)
        #expect(done.message == "stopped")
        #expect(done.observed == #"{"powerState":"stopped"}"#)
        #expect(done.dispatchedAt == 1_100)
        #expect(done.finishedAt == 1_250)
        #expect(done.updatedAt == 1_250)
        #expect(done.createdAt == 1_000)
    }

    @Test func refusesToMoveAnActionThatIsNotInAnExpectedState() throws {
        let store = try ResourceStore.inMemory()
        let recorded = Self.action("act-1", state: .refused)
        #expect(try store.record(recorded) == .recorded(recorded))

        #expect(try store.advance(action: "act-1", from: [.planned], to: .dispatched, at: 2_000) == nil)
        #expect(try store.advance(action: "missing", from: [.planned], to: .dispatched, at: 2_000) == nil)
        #expect(try store.read { try $0.action(id: "act-1") }?.state == .refused)
    }

    @Test func aRefusalIsFinalFromTheStart() throws {
        let refused = Self.action("act-1", state: .refused, at: 5)
        #expect(refused.finishedAt == 5)
        #expect(Self.action("act-2").finishedAt == nil)
    }

    @Test func anIngestKeepsTheActions() throws {
        let store = try ResourceStore.inMemory()
        let recorded = Self.action("act-1", key: "k")
        #expect(try store.record(recorded) == .recorded(recorded))

        try store.ingest(.bytes(F.document(F.base)), manifest: F.manifest(), now: F.now)

        #expect(try store.read { try $0.action(idempotencyKey: "k") }?.id == "act-1")
        #expect(try store.read { try $0.actions(on: "vm/pve-a/101") }.map(\.id) == ["act-1"])
    }

    @Test func twoFileStoresRacingWithOneKeyWriteOneRow() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("actions-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let stores = try [ResourceStore.open(path: path), ResourceStore.open(path: path)]

        let outcomes = try await withThrowingTaskGroup(of: ActionRecording.self) { group in
            for index in 0..<8 {
                let store = stores[index % 2]
                group.addTask { try store.record(Self.action("act-\(index)", key: "race", at: Int64(index))) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }

        let recorded = outcomes.filter { if case .recorded = $0 { true } else { false } }
        #expect(recorded.count == 1)
        #expect(try F.count("action", in: stores[0]) == 1)
    }

    @Test func agentsAndConnectionsAreFoundByTheResourcesTheySitOn() throws {
        let store = try ResourceStore.inMemory()
        try store.ingest(.bytes(F.document(F.base)), manifest: F.manifest(), now: F.now)
        let (hosts, roots) = try store.database.read { db in
            (try String.fetchAll(db, sql: "SELECT hostResourceId FROM agent"),
             try String.fetchAll(db, sql: "SELECT rootResourceId FROM platformConnection"))
        }
        let agents = try store.read { try $0.agents(onHosts: hosts + ["nothing"]) }
        let connections = try store.read { try $0.connections(rootedAt: roots) }
        #expect(agents.count == 1)
        #expect(connections.count == 1)
        // A host named twice (a chain never does, but the caller may) still finds each agent once.
        #expect(try store.read { try $0.agents(onHosts: hosts + hosts) }.map(\.id) == agents.map(\.id))
        #expect(try store.read { try $0.connections(rootedAt: roots + roots) }.map(\.id) == connections.map(\.id))
        #expect(try store.read { try $0.agents(onHosts: ["nothing"]) }.isEmpty)
        #expect(try store.read { try $0.agents(onHosts: []) }.isEmpty)
    }
}
