import Fleet
import Foundation
import GRDB
import JSON
import Policy
import ResourceStore
import Testing

/// Shared inputs of the ingest tests: the shipped manifest, a small valid snapshot written in both
/// forms, generated fleets, and a dump of every table for comparing stores.
enum IngestFixtures {
    static let now = Timestamp(secondsSince1970: 1_795_860_000)  // 2026-11-28T10:00:00Z

    /// The manifest bundled with `Policy`, read the way the CLI reads it.
    static func manifest() throws -> PlatformSupportManifest {
        let url = try #require(PlatformSupportManifest.bundledResourceURL)
        return try PlatformSupportManifest.decode(Data(contentsOf: url))
    }

    /// A valid snapshot as record kind → records, in the order the JSON Lines form writes them.
    typealias Snapshot = [(kind: SnapshotRecordKind, records: [JSONValue])]

    /// A resource of the base snapshot's shape with `changes` applied (a `nil` change removes the field).
    static func resource(_ id: String, _ changes: [String: JSONValue?] = [:]) -> JSONValue {
        var object: JSONObject = [
            "id": .string(id), "type": "vm", "platform": "proxmox-pve", "name": .string(id), "status": "online",
            "powerState": "running", "technology": "qemu", "parentId": "agent/pve-a", "tags": ["prod"],
            "metrics": ["cpu": 0.25, "memoryUsed": 1024, "memoryTotal": 4096, "diskUsed": 10, "diskTotal": 40,
                        "uptimeSeconds": 86_400],
            "identity": ["hostname": .string(id)], "sources": ["proxmox-pve"], "lastSeen": "2026-11-28T09:59:30Z",
            "details": [:],
        ]
        for (key, value) in changes.sorted(by: { $0.key < $1.key }) {
            object[key] = value
        }
        return .object(object)
    }

    /// A record of `kind` built from the base one of that kind with `changes` applied.
    static func record(_ kind: SnapshotRecordKind, _ changes: [String: JSONValue?] = [:]) -> JSONValue {
        guard var object = baseRecords[kind]?.objectValue else { return .null }
        for (key, value) in changes.sorted(by: { $0.key < $1.key }) {
            object[key] = value
        }
        return .object(object)
    }

    private static let baseRecords: [SnapshotRecordKind: JSONValue] = [
        .agent: ["id": "pulse-agent/pve-b", "hostResourceId": "agent/pve-a", "endpoint": "unix:/run/pulse/b.sock",
                 "commandsEnabled": true, "lastHeartbeat": "2026-11-28T09:59:55Z", "version": "6.3.0"],
        .connection: ["id": "truenas/nas-2", "platform": "truenas", "rootResourceId": "agent/nas-1",
                      "endpoint": "tcp:127.0.0.1:7702", "controlEnabled": true],
        .alert: ["id": "alert-2", "resourceId": "vm/pve-a/101", "severity": "warning", "message": "disk filling",
                 "since": "2026-11-28T08:00:00Z"],
        .recoveryPoint: ["id": "rp-2", "resourceId": "vm/pve-a/101", "platform": "proxmox-pbs", "kind": "backup",
                         "at": "2026-11-27T02:00:00Z", "sizeBytes": 123_456, "verified": true],
        .metricSample: ["resourceId": "vm/pve-a/101", "metric": "cpu", "at": "2026-11-28T09:55:00Z", "value": 0.5],
    ]

    /// Five resources over three platforms (one admitted), and one record of every other kind.
    static let base: Snapshot = [
        (.resource, [
            resource("agent/pve-a", ["type": "agent", "powerState": nil, "technology": nil, "parentId": nil]),
            resource("vm/pve-a/101", ["platform": "pve", "tags": ["prod", "web"], "name": "web-01"]),
            resource("agent/nas-1", ["type": "agent", "platform": "truenas", "powerState": nil, "parentId": nil]),
            resource("agent/esx-1", ["type": "agent", "platform": "vmware-vsphere", "powerState": nil, "parentId": nil]),
            resource("vm/esx-1/db", ["platform": "vmware", "parentId": "agent/esx-1", "technology": nil]),
        ]),
        (.agent, [record(.agent, ["id": "pulse-agent/pve-a"])]),
        (.connection, [record(.connection, ["id": "truenas/nas-1"])]),
        (.alert, [record(.alert, ["id": "alert-1"])]),
        (.recoveryPoint, [record(.recoveryPoint, ["id": "rp-1"])]),
        (.metricSample, [record(.metricSample, ["at": "2026-11-28T09:50:00Z"])]),
    ]

    /// `snapshot` with `extra` records appended to their kinds' lists.
    static func adding(_ extra: [(SnapshotRecordKind, JSONValue)], to snapshot: Snapshot = base) -> Snapshot {
        snapshot.map { section in
            (section.kind, section.records + extra.filter { $0.0 == section.kind }.map(\.1))
        }
    }

    /// The JSON document form.
    static func document(_ snapshot: Snapshot, generatedAt: String? = "2026-11-28T10:00:00Z") -> [UInt8] {
        var object = JSONObject()
        object.setIfPresent("generatedAt", generatedAt.map(JSONValue.string))
        for section in snapshot {
            object[section.kind.documentKey] = .array(section.records)
        }
        return Array(JSONSerializer.pretty(.object(object)).utf8)
    }

    /// The JSON Lines form: the generatedAt line, then each record on its own line.
    static func lines(_ snapshot: Snapshot, generatedAt: String? = "2026-11-28T10:00:00Z") -> [UInt8] {
        var output: [UInt8] = []
        if let generatedAt {
            JSONSerializer.append(["generatedAt": .string(generatedAt)], to: &output)
            output.append(0x0A)
        }
        for section in snapshot {
            for record in section.records {
                JSONSerializer.append(.object([section.kind.lineKey: record]), to: &output)
                output.append(0x0A)
            }
        }
        return output
    }

    /// Every row of every table (FTS shadow tables included), as text, in a stable order; the
    /// `source` fact is left out since it names the form.
    static func dump(_ store: ResourceStore) throws -> [String: [String]] {
        try store.database.read { db in
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            var dump: [String: [String]] = [:]
            for table in tables where table != "resourceSearch" && !table.hasPrefix("grdb_") {
                let rows = try Row.fetchAll(db, sql: "SELECT * FROM \(table.quotedDatabaseIdentifier)")
                dump[table] = rows.map(\.description).filter { !$0.contains("key:\"source\"") }.sorted()
            }
            return dump
        }
    }

    /// How many rows `table` holds.
    static func count(_ table: String, in store: ResourceStore) throws -> Int {
        try store.database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
    }
}

// MARK: - Generated fleets

extension IngestFixtures {
    /// What ``fleet(resources:emit:)`` generates per resource count `n` (a multiple of 10).
    struct FleetCounts: Equatable {
        var resources, alerts, recoveryPoints, metricSamples: Int
        var types: [ResourceType: Int]

        init(resources n: Int) {
            resources = n
            alerts = n / 20
            recoveryPoints = n / 5
            metricSamples = n / 10 * 6
            types = [.agent: n / 10, .vm: n / 10 * 6, .systemContainer: n / 10 * 2, .storage: n / 10]
        }
    }

    /// A JSON Lines fleet of `n` resources, handed out in chunks of about 1 MiB: groups of ten
    /// (a PVE node, six VMs, two containers written with the `pve` alias, a storage), an alert
    /// per 20 resources, a backup per 5, a CPU sample per VM, each right after its resource.
    static func fleet(resources n: Int, emit: ([UInt8]) throws -> Void) rethrows {
        var chunk = Array("{\"generatedAt\":\"2026-11-28T10:00:00Z\"}\n".utf8)
        chunk.reserveCapacity(1 << 20 + 4096)
        for i in 0..<n {
            let host = i / 10 * 10
            let slot = i % 10
            let line: String
            switch slot {
            case 0:
                line = "{\"resource\":{\"id\":\"agent/h\(i)\",\"type\":\"agent\",\"platform\":\"proxmox-pve\",\"name\":\"node-\(i)\",\"status\":\"online\",\"technology\":\"pve\",\"tags\":[\"site-\(i % 7)\"],\"metrics\":{\"cpu\":0.4,\"memoryUsed\":34359738368,\"memoryTotal\":68719476736,\"uptimeSeconds\":864000},\"identity\":{\"hostname\":\"node-\(i)\",\"clusterName\":\"lab-\(i % 13)\"},\"sources\":[\"proxmox-pve\",\"agent\"],\"lastSeen\":\"2026-11-28T09:59:30Z\",\"details\":{\"version\":\"8.3\"}}}\n"
            case 9:
                line = "{\"resource\":{\"id\":\"storage/h\(host)/local-\(i)\",\"type\":\"storage\",\"platform\":\"proxmox-pve\",\"name\":\"local-\(i)\",\"status\":\"online\",\"parentId\":\"agent/h\(host)\",\"metrics\":{\"diskUsed\":\(i * 1000),\"diskTotal\":\(i * 4000 + 4000)},\"identity\":{},\"sources\":[\"proxmox-pve\"],\"lastSeen\":\"2026-11-28T09:59:30Z\"}}\n"
            default:
                let isVM = slot <= 6
                line = "{\"resource\":{\"id\":\"guest/h\(host)/\(i)\",\"type\":\"\(isVM ? "vm" : "system-container")\",\"platform\":\"\(isVM ? "proxmox-pve" : "pve")\",\"name\":\"guest-\(i)\",\"status\":\"\(isVM ? "online" : "offline")\",\"powerState\":\"\(isVM ? "running" : "stopped")\",\"technology\":\"\(isVM ? "qemu" : "lxc")\",\"parentId\":\"agent/h\(host)\",\"tags\":[\"prod\",\"team-\(i % 11)\"],\"metrics\":{\"cpu\":0.\(i % 10),\"memoryUsed\":\(i % 4096 * 1048576),\"memoryTotal\":4294967296,\"diskUsed\":\(i % 32 * 1073741824),\"diskTotal\":34359738368,\"uptimeSeconds\":\(i % 86400)},\"identity\":{\"hostname\":\"guest-\(i)\",\"vmid\":\"\(100 + i)\"},\"sources\":[\"proxmox-pve\"],\"lastSeen\":\"2026-11-28T09:59:30Z\",\"details\":{}}}\n"
            }
            chunk.append(contentsOf: line.utf8)
            if slot >= 1, slot <= 6 {
                chunk.append(contentsOf: "{\"metricSample\":{\"resourceId\":\"guest/h\(host)/\(i)\",\"metric\":\"cpu\",\"at\":\"2026-11-28T09:55:00Z\",\"value\":0.\(i % 10)}}\n".utf8)
            }
            if i % 20 == 1 {
                chunk.append(contentsOf: "{\"alert\":{\"id\":\"alert/\(i)\",\"resourceId\":\"guest/h\(host)/\(i)\",\"severity\":\"warning\",\"message\":\"memory pressure on guest-\(i)\",\"since\":\"2026-11-28T08:00:00Z\"}}\n".utf8)
            }
            if i % 5 == 1 {
                chunk.append(contentsOf: "{\"recoveryPoint\":{\"id\":\"backup/\(i)\",\"resourceId\":\"guest/h\(host)/\(i)\",\"platform\":\"pbs\",\"kind\":\"backup\",\"at\":\"2026-11-27T02:00:00Z\",\"sizeBytes\":\(i * 4096),\"verified\":true}}\n".utf8)
            }
            if chunk.count >= 1 << 20 {
                try emit(chunk)
                chunk.removeAll(keepingCapacity: true)
            }
        }
        if !chunk.isEmpty { try emit(chunk) }
    }

    /// The whole fleet in memory (for sizes that fit a test).
    static func fleetBytes(resources n: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        fleet(resources: n) { bytes.append(contentsOf: $0) }
        return bytes
    }
}
