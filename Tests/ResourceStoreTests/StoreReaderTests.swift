import Fleet
import Foundation
import GRDB
@testable import ResourceStore
import Synchronization
import Testing

/// The read path: one snapshot per read on a file store's own read connections, the parent chain
/// walked a lookup per level, the endpoints around it, the recovery summary as one query, and SQL
/// failures as thrown errors.
struct StoreReaderTests {
    typealias F = IngestFixtures

    /// A store of either kind: a file store reads through its own connections, an in-memory one
    /// through its queue's.
    enum Kind: String, CaseIterable, CustomTestStringConvertible {
        case memory, file

        var testDescription: String { rawValue }
    }

    /// An empty, migrated store of `kind`, kept alive with the directory that holds a file store.
    static func store(_ kind: Kind) throws -> (ResourceStore, TemporaryStoreDirectory?) {
        switch kind {
        case .memory:
            return (try ResourceStore.inMemory(), nil)
        case .file:
            let directory = try TemporaryStoreDirectory()
            return (try directory.open(), directory)
        }
    }

    /// Writes resources straight into the table (no ingest checks), each as (id, parentId).
    static func insert(_ resources: [(id: String, parent: String?)], into store: ResourceStore) throws {
        try store.database.write { db in
            for resource in resources {
                try db.execute(
                    sql: """
                        INSERT INTO resource (id, type, platform, name, status, parentId, record)
                        VALUES (?, 'vm', 'proxmox-pve', ?, 'online', ?, '{}')
                        """,
                    arguments: [resource.id, "name-" + resource.id, resource.parent]
                )
            }
        }
    }

    /// The parent chain walked one lookup per level through the public point read: the reference the
    /// read path's own walk is held to.
    static func chainByLookups(_ store: ResourceStore, from id: String, limit: Int = 16) throws -> [String] {
        try store.read { reader in
            var chain: [String] = []
            var seen: Set<String> = [id]
            var next = try reader.resource(id: id)?.parentId
            while let parent = next, chain.count < limit, seen.insert(parent).inserted {
                guard let row = try reader.resource(id: parent) else { break }
                chain.append(row.id)
                next = row.parentId
            }
            return chain
        }
    }

    // MARK: - Parent chain

    @Test("the parent chain stops at a repeat, a missing parent or the limit, as a lookup per level does", arguments: Kind.allCases)
    func parentChain(kind: Kind) throws {
        // Given a chain, a cycle, a self-parent, a loop above the start, a dangling parent and a 20-deep line
        let (store, directory) = try Self.store(kind)
        defer { _ = directory }
        var resources: [(id: String, parent: String?)] = [
            ("a", "b"), ("b", "c"), ("c", "d"), ("d", nil),
            ("x", "y"), ("y", "z"), ("z", "x"),
            ("s", "s"),
            ("p", "q"), ("q", "r"), ("r", "q"),
            ("m", "ghost"),
        ]
        resources += (0..<20).map { ("deep-\($0)", $0 == 19 ? nil : "deep-\($0 + 1)") }
        try Self.insert(resources, into: store)

        // When each one's chain is read, Then it is its ancestors nearest first, cut at a repeat or the limit
        let cases: [(id: String, limit: Int, chain: [String])] = [
            ("a", 16, ["b", "c", "d"]),
            ("a", 2, ["b", "c"]),
            ("a", 0, []),
            ("d", 16, []),
            ("x", 16, ["y", "z"]),
            ("s", 16, []),
            ("p", 16, ["q", "r"]),
            ("m", 16, []),
            ("deep-0", 16, (1...16).map { "deep-\($0)" }),
            ("deep-0", 40, (1...19).map { "deep-\($0)" }),
        ]
        for (id, limit, expected) in cases {
            let chain = try store.read { reader in
                try reader.parentChain(of: #require(try reader.resource(id: id)), limit: limit).map(\.id)
            }
            #expect(chain == expected, "\(id) limit \(limit)")
            #expect(chain == (try Self.chainByLookups(store, from: id, limit: limit)), "\(id) limit \(limit)")
        }
    }

    @Test("the agents and connections around a chain come once each, by id, whatever the order of the chain", arguments: Kind.allCases)
    func endpointsAroundAChain(kind: Kind) throws {
        // Given agents and connections on two hosts, named out of order
        let (store, directory) = try Self.store(kind)
        defer { _ = directory }
        try Self.insert([("h1", nil), ("h2", "h1"), ("vm", "h2")], into: store)
        try store.database.write { db in
            // "\u{E9}" and "e\u{301}" are one string to Swift's `==` and `<`, two ids to SQLite; the
            // first is found first, and must still come after the second.
            let agents = [("c-agent", "h1"), ("a-agent", "h2"), ("b-agent", "h1"), ("z-agent", "elsewhere"),
                          ("\u{E9}-agent", "h2"), ("e\u{301}-agent", "h1")]
            for (id, host) in agents {
                try db.execute(
                    sql: "INSERT INTO agent (id, hostResourceId, endpoint, commandsEnabled) VALUES (?, ?, 'unix:/run/a', 1)",
                    arguments: [id, host]
                )
            }
            for (id, root) in [("pve-2", "h2"), ("pve-1", "h1")] {
                try db.execute(
                    sql: """
                        INSERT INTO platformConnection (id, platform, rootResourceId, endpoint, controlEnabled)
                        VALUES (?, 'proxmox-pve', ?, 'unix:/run/c', 1)
                        """,
                    arguments: [id, root]
                )
            }
        }

        // When they are read for the chain, nearest first, and for a chain that names a host twice
        let (agents, connections, repeated) = try store.read { reader in
            (try reader.agents(onHosts: ["vm", "h2", "h1"]).map(\.id),
             try reader.connections(rootedAt: ["vm", "h2", "h1"]).map(\.id),
             try reader.agents(onHosts: ["h1", "h1"]).map(\.id))
        }

        // Then each comes once, ordered by id as SQLite orders text (its UTF-8 bytes), and nothing on another host
        #expect(agents.map { Array($0.utf8) } == ["a-agent", "b-agent", "c-agent", "e\u{301}-agent", "\u{E9}-agent"].map { Array($0.utf8) })
        #expect(connections == ["pve-1", "pve-2"])
        #expect(repeated.map { Array($0.utf8) } == ["b-agent", "c-agent", "e\u{301}-agent"].map { Array($0.utf8) })
    }

    @Test("the chain's rows are the rows a point read gives, without their records", arguments: Kind.allCases)
    func parentChainRows(kind: Kind) throws {
        let (store, directory) = try Self.store(kind)
        defer { _ = directory }
        try store.ingest(.bytes(F.document(F.base)), manifest: F.manifest(), now: F.now)

        let (chain, parent) = try store.read { reader in
            let row = try #require(try reader.resource(id: "vm/pve-a/101"))
            return (try reader.parentChain(of: row), try reader.resource(id: "agent/pve-a"))
        }

        var expected = try #require(parent)
        expected.record = nil
        #expect(chain == [expected])
        #expect(expected.lastSeen == Timestamp("2026-11-28T09:59:30Z"))
    }

    // MARK: - Recovery summary

    @Test("the recovery summary is the count, the newest point and the newest verified one", arguments: Kind.allCases)
    func recoverySummary(kind: Kind) throws {
        // Given a resource whose newest point is unverified, one whose newest is verified, and one with none
        let (store, directory) = try Self.store(kind)
        defer { _ = directory }
        try Self.insert([("v1", nil), ("v2", nil), ("v3", nil)], into: store)
        let points: [(id: String, resource: String, at: Int64, verified: Bool?)] = [
            ("p1", "v1", 100, true), ("p2", "v1", 300, false), ("p3", "v1", 200, nil),
            ("q1", "v2", 100, false), ("q2", "v2", 300, true),
        ]
        try store.database.write { db in
            for point in points {
                try db.execute(
                    sql: "INSERT INTO recoveryPoint (id, resourceId, platform, kind, at, sizeBytes, verified) VALUES (?, ?, 'pbs', 'backup', ?, 42, ?)",
                    arguments: [point.id, point.resource, point.at, point.verified]
                )
            }
        }

        // When their summaries are read
        let (first, second, none) = try store.read { reader in
            (try reader.recoverySummary(of: "v1"), try reader.recoverySummary(of: "v2"), try reader.recoverySummary(of: "v3"))
        }

        // Then each says how many, the newest, and the newest verified
        #expect(first.count == 3)
        #expect(first.latest?.id == "p2")
        #expect(first.latest?.verified == false)
        #expect(first.latestVerified?.id == "p1")
        #expect(first.latestVerified?.sizeBytes == 42)
        #expect(second.count == 2)
        #expect(second.latest?.id == "q2")
        #expect(second.latestVerified == second.latest)
        #expect(none == RecoverySummary(count: 0, latest: nil, latestVerified: nil))
    }

    // MARK: - Snapshots

    @Test func aReadOfAFileStoreKeepsItsSnapshotWhileAnIngestCommits() throws {
        // Given a file store holding the base snapshot (five resources, one alert)
        let directory = try TemporaryStoreDirectory()
        let store = try directory.open()
        try store.ingest(.bytes(F.document(F.base)), manifest: F.manifest(), now: F.now)
        let fleet = F.FleetCounts(resources: 200)

        // When another connection replaces the content between two queries of one read
        let (before, during) = try store.read { reader in
            let before = (try reader.resourceCount(), try reader.alerts(AlertQuery()).rows.count)
            try directory.open().ingest(.bytes(F.fleetBytes(resources: 200)), manifest: F.manifest(), now: F.now)
            let during = (
                try reader.resourceCount(), try reader.alerts(AlertQuery()).rows.count,
                try reader.resource(id: "vm/pve-a/101")?.name, try reader.resource(id: "guest/h0/1")
            )
            return (before, during)
        }
        let after = try store.read { reader in (try reader.resourceCount(), try reader.resource(id: "guest/h0/1")?.name) }

        // Then the read saw the old content to its end, and the next read sees the new
        #expect(before == (5, 1))
        #expect(during.0 == 5)
        #expect(during.1 == 1)
        #expect(during.2 == "web-01")
        #expect(during.3 == nil)
        #expect(after.0 == fleet.resources)
        #expect(after.1 == "guest-1")
    }

    @Test func readsOfAFileStoreDuringAnIngestSeeTheOldContentOrTheNewNeverAMix() throws {
        // Given a file store holding the base snapshot
        let directory = try TemporaryStoreDirectory()
        let store = try directory.open()
        try store.ingest(.bytes(F.document(F.base)), manifest: F.manifest(), now: F.now)
        let fleet = F.FleetCounts(resources: 5_000)
        let old = Observation(resources: 5, alerts: 1, hostChildren: 0)
        let new = Observation(resources: fleet.resources, alerts: fleet.alerts, hostChildren: 9)

        // When readers on two threads read through the store's connections while another connection ingests a fleet
        let done = Mutex(false)
        let seen = Mutex<Set<Observation>>([])
        let failures = Mutex<[String]>([])
        let readers = (0..<2).map { _ in
            Thread {
                while !done.withLock({ $0 }) {
                    do {
                        let observation = try store.read(Observation.init)
                        seen.withLock { _ = $0.insert(observation) }
                    } catch {
                        failures.withLock { $0.append("\(error)") }
                    }
                }
            }
        }
        readers.forEach { $0.start() }
        try directory.open().ingest(.bytes(F.fleetBytes(resources: 5_000)), manifest: F.manifest(), now: F.now)
        let final = try store.read(Observation.init)
        done.withLock { $0 = true }
        while !readers.allSatisfy(\.isFinished) { Thread.sleep(forTimeInterval: 0.01) }

        // Then every read saw one whole snapshot
        #expect(final == new)
        #expect(failures.withLock { $0 }.isEmpty)
        let observations = seen.withLock { $0 }
        #expect(observations.isSubset(of: [old, new]), "\(observations)")
        #expect(observations.contains(old))
    }

    /// What one read saw, through the point reads `get_resource` makes.
    struct Observation: Hashable, Sendable {
        var resources: Int
        var alerts: Int
        var hostChildren: Int

        init(resources: Int, alerts: Int, hostChildren: Int) {
            self.resources = resources
            self.alerts = alerts
            self.hostChildren = hostChildren
        }

        init(_ reader: StoreReader) throws {
            resources = try reader.resourceCount()
            var query = AlertQuery()
            query.limit = 500
            alerts = try reader.alerts(query).rows.count
            hostChildren = try reader.childCounts(of: "agent/h0").map(\.count).reduce(0, +)
        }
    }

    @Test func concurrentReadsOfAFileStoreEachGetTheirOwnConnection() async throws {
        // Given a file store holding a small fleet
        let directory = try TemporaryStoreDirectory()
        let store = try directory.open()
        try store.ingest(.bytes(F.fleetBytes(resources: 200)), manifest: F.manifest(), now: F.now)

        // When many tasks read the same resources at once, more of them than the pool keeps idle
        let names = try await withThrowingTaskGroup(of: [String?].self) { group in
            for _ in 0..<(ReadConnectionPool.maximumIdle * 2) {
                group.addTask {
                    try (0..<50).map { index in
                        try store.read { reader in
                            let row = try reader.resource(id: "guest/h\(index / 10 * 10)/\(index / 10 * 10 + 1)")
                            return try row.map { row in try reader.parentChain(of: row).map(\.id).joined() + row.name }
                        }
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }

        // Then every read answered as a lone one does
        let alone = try (0..<50).map { index in
            try store.read { reader in
                let row = try reader.resource(id: "guest/h\(index / 10 * 10)/\(index / 10 * 10 + 1)")
                return try row.map { row in try reader.parentChain(of: row).map(\.id).joined() + row.name }
            }
        }
        #expect(alone.allSatisfy { $0 != nil })
        #expect(names.allSatisfy { $0 == alone })
    }

    // MARK: - Errors

    struct Interrupted: Error {}

    @Test("every argument binds as itself: empty text is '', not NULL", arguments: [
        (SQLiteArgument.text(""), "text:"), (.text("web-01"), "text:web-01"), (.text(nil as String?), "null:"),
        (.integer(Int64(-7)), "integer:-7"), (.integer(nil as Int64?), "null:"), (.real(0.25), "real:0.25"),
        (.flag(true), "integer:1"), (.flag(false), "integer:0"), (.null, "null:"),
    ])
    func argumentsBindAsThemselves(argument: SQLiteArgument, expected: String) throws {
        let (store, directory) = try Self.store(.file)
        defer { _ = directory }
        let bound = try store.read { try $0.rows("SELECT typeof(?1) || ':' || coalesce(?1, '')", [argument]) { $0[0] as String } }
        #expect(bound == [expected])
    }

    @Test("a failing statement throws, and the next read works", arguments: Kind.allCases)
    func statementErrorsThrow(kind: Kind) throws {
        let (store, directory) = try Self.store(kind)
        defer { _ = directory }
        try Self.insert([("a", nil)], into: store)

        // A statement SQLite cannot prepare, one it cannot run, and one given the wrong number of arguments
        #expect(throws: DatabaseError.self) { try store.read { try $0.rows("SELECT nothing FROM nowhere") { $0[0] as Int } } }
        #expect(throws: DatabaseError.self) { try store.read { try $0.rows("SELECT abs(-9223372036854775808)") { $0[0] as Int } } }
        let miscounted = #expect(throws: DatabaseError.self) {
            try store.read { try $0.rows("SELECT id FROM resource WHERE id = ?", [.text("a"), .text("b")]) { $0[0] as String } }
        }
        #expect(miscounted?.resultCode == .SQLITE_MISUSE)
        #expect(miscounted?.sql == "SELECT id FROM resource WHERE id = ?")

        // Then the same store reads on
        #expect(try store.read { try $0.resource(id: "a")?.name } == "name-a")
    }

    @Test func aReadThatThrowsLeavesNoSnapshotBehind() throws {
        // Given a file store whose read fails halfway through
        let directory = try TemporaryStoreDirectory()
        let store = try directory.open()
        try store.ingest(.bytes(F.document(F.base)), manifest: F.manifest(), now: F.now)
        #expect(throws: Interrupted.self) {
            try store.read { reader in
                _ = try reader.resourceCount()
                throw Interrupted()
            }
        }

        // When the content is replaced
        try directory.open().ingest(.bytes(F.fleetBytes(resources: 200)), manifest: F.manifest(), now: F.now)

        // Then the next reads (on the same, given-back connection) see the new content
        for _ in 0..<3 {
            #expect(try store.read { try $0.resourceCount() } == 200)
        }
    }

    @Test func aFileThatIsNotAStoreIsAnErrorNotACrash() throws {
        // Given another program's SQLite file (WAL) opened as a read-only store, so nothing is migrated
        let directory = try TemporaryStoreDirectory()
        _ = SQLiteLibrary.memoryStatisticsResult  // the process's first SQLite use is a store's, as in the server
        try DatabasePool(path: directory.storePath).write { db in try db.execute(sql: "CREATE TABLE other (x)") }
        let store = try directory.open(readOnly: true)

        // When a tool's reads run, Then each throws the SQLite error, every time
        for _ in 0..<2 {
            let error = #expect(throws: DatabaseError.self) { try store.read { try $0.resource(id: "vm/pve-a/101") } }
            #expect(error?.message?.contains("no such table: resource") == true)
        }
    }
}

extension StoreReaderTests {
    @Test("many statement shapes keep the cache bounded, even while one of them is being stepped", arguments: Kind.allCases)
    func statementCacheIsBounded(kind: Kind) throws {
        let (store, directory) = try Self.store(kind)
        defer { _ = directory }
        try Self.insert([("a", nil), ("b", nil)], into: store)
        let limit = ReadConnection.maximumCachedStatements

        // When more distinct statements than the cache keeps run, some from inside another's rows
        let (answers, cached) = try store.read { reader in
            let outer = try reader.rows("SELECT id FROM resource ORDER BY id") { row -> [Int] in
                try (0..<limit).map { index in
                    try reader.first("SELECT \(index) + ?", [.integer(1)]) { $0[0] as Int } ?? -1
                }
            }
            return (outer, reader.connection.cachedStatementCount)
        }

        // Then every statement answered, and the cache never held more than its limit
        #expect(answers == [Array(1...limit), Array(1...limit)])
        #expect(cached <= limit)
    }
}
