import Foundation
import GRDB
import ResourceStore
import Testing

/// Pulse's side of an action on the pulse route (schema v6): written beside the row without moving
/// it, only while the row is in the state the writer expects, and told apart when stale rows are settled.
struct PulseActionStoreTests {
    static func dispatched(_ id: String, pulse: String?, at time: Int64 = 1_000) -> ActionRecord {
        ActionRecord(
            id: id, idempotencyKey: nil, resourceId: "vm-9493142bd2bf2b8e", action: "reboot", reason: "kernel",
            request: "{}", controlLevel: "autonomous", decision: "{}", approval: "not-needed", state: .dispatched,
            pulse: pulse, createdAt: time, dispatchedAt: time
        )
    }

    @Test func pulseSideIsKeptAndReadBack() throws {
        let store = try ResourceStore.inMemory()
        let row = Self.dispatched("act-1", pulse: #"{"requestId":"action:act-1","stage":"checking"}"#)
        _ = try store.record(row)
        #expect(try store.read { try $0.action(id: "act-1") }?.pulse == row.pulse)
    }

    @Test func notePulseWritesOnlyInTheExpectedStates() throws {
        let store = try ResourceStore.inMemory()
        _ = try store.record(Self.dispatched("act-1", pulse: #"{"requestId":"r","stage":"checking"}"#))

        let noted = try store.notePulse(action: "act-1", in: [.dispatched], pulse: #"{"requestId":"r","stage":"planned"}"#, approval: "granted", at: 2_000)
        #expect(noted?.pulse == #"{"requestId":"r","stage":"planned"}"#)
        #expect(noted?.approval == "granted")
        #expect(noted?.state == .dispatched)
        #expect(noted?.updatedAt == 2_000)

        // Another server settled it: the note is refused and nothing changes.
        _ = try store.advance(action: "act-1", from: [.dispatched], to: .unknown, at: 3_000, code: "pulse_no_answer")
        #expect(try store.notePulse(action: "act-1", in: [.dispatched], pulse: #"{"requestId":"r","stage":"executing"}"#, at: 4_000) == nil)
        #expect(try store.read { try $0.action(id: "act-1") }?.pulse == #"{"requestId":"r","stage":"planned"}"#)
    }

    @Test func unknownCanBeSettledWhenPulseKnows() throws {
        let store = try ResourceStore.inMemory()
        _ = try store.record(Self.dispatched("act-1", pulse: #"{"requestId":"r","stage":"polling"}"#))
        _ = try store.advance(action: "act-1", from: [.dispatched], to: .unknown, at: 2_000, code: "pulse_no_answer")
        let settled = try store.advance(
            action: "act-1", from: [.dispatched, .unknown], to: .completed, at: 3_000, code: nil, message: "Settled from Pulse",
            pulse: #"{"requestId":"r","stage":"ended","state":"completed"}"#
        )
        #expect(settled?.state == .completed)
        #expect(settled?.finishedAt == 3_000)
        #expect(settled?.pulse?.contains("completed") == true)
    }

    @Test(arguments: [(true, ["act-pulse"]), (false, ["act-socket"]), (nil, ["act-pulse", "act-socket"])] as [(Bool?, [String])])
    func staleRulesTellTheRoutesApart(pulseRoute: Bool?, settled: [String]) throws {
        let store = try ResourceStore.inMemory()
        _ = try store.record(Self.dispatched("act-pulse", pulse: #"{"requestId":"r","stage":"executing"}"#))
        _ = try store.record(Self.dispatched("act-socket", pulse: nil))
        let rule = ResourceStore.StaleActionRule(
            state: .dispatched, column: .updatedAt, before: 5_000, target: .unknown, code: "no_answer", message: "stale",
            pulseRoute: pulseRoute
        )
        #expect(try store.settleStaleActions([rule], at: 6_000) == [settled.count])
        let unknown = try store.database.read { db in try String.fetchAll(db, sql: "SELECT id FROM action WHERE state = 'unknown' ORDER BY id") }
        #expect(unknown == settled)
    }

    @Test func aVersion5StoreGainsThePulseColumn() throws {
        let queue = try DatabaseQueue()
        var migrator = StoreSchema.migrator
        try migrator.migrate(queue, upTo: "v5: synced rows, aliases, sync status")
        #expect(try queue.read { try $0.columns(in: "action").map(\.name) }.contains("pulse") == false)
        migrator = StoreSchema.migrator
        try migrator.migrate(queue)
        #expect(try queue.read { try $0.columns(in: "action").map(\.name) }.contains("pulse"))
    }
}
