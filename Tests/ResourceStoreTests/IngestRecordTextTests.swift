import Foundation
import GRDB
import JSON
import Policy
import ResourceStore
import Testing

/// A resource's stored `record` is the serializer's text of the record (the platform made
/// canonical), whether the snapshot's line was already that text, stored as it stands, or was
/// written another way and is serialized again.
struct IngestRecordTextTests {
    typealias F = IngestFixtures

    /// The JSON Lines form with a space after every `:` and `,` outside strings, which the
    /// ingest cannot store as it stands.
    static func loosened(_ lines: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        var inString = false, escaped = false
        for byte in lines {
            output.append(byte)
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            } else if byte == UInt8(ascii: ":") || byte == UInt8(ascii: ",") {
                output.append(UInt8(ascii: " "))
            }
        }
        return output
    }

    @Test func compactAndLooseLinesStoreTheSameRecords() throws {
        // Given the base snapshot with an aliased platform and details the serializer writes
        // differently ("\/" and "\u0041" escapes, 2.50), as compact and as loose lines
        let snapshot = F.adding([
            (.resource, F.resource("vm/pve-a/alias", ["platform": "pve"])),
            (.resource, F.resource("vm/pve-a/odd", ["details": ["path": "a/b", "letter": "A", "ratio": 2.5]])),
        ])
        var compact = F.lines(snapshot)
        compact = Array(String(decoding: compact, as: UTF8.self)
            .replacingOccurrences(of: "\"path\":\"a/b\"", with: "\"path\":\"a\\/b\"")
            .replacingOccurrences(of: "\"letter\":\"A\"", with: "\"letter\":\"\\u0041\"")
            .replacingOccurrences(of: "\"ratio\":2.5", with: "\"ratio\":2.50").utf8)
        let fromCompact = try ResourceStore.inMemory()
        let fromEscaped = try ResourceStore.inMemory()
        let fromLoose = try ResourceStore.inMemory()
        let fromDocument = try ResourceStore.inMemory()

        // When each is ingested: the serializer's lines, the same lines compact but with the escapes
        // and the long fraction, those loosened, and the JSON document
        try fromCompact.ingest(.bytes(F.lines(snapshot)), manifest: F.manifest(), now: F.now)
        try fromEscaped.ingest(.bytes(compact), manifest: F.manifest(), now: F.now)
        try fromLoose.ingest(.bytes(Self.loosened(compact)), manifest: F.manifest(), now: F.now)
        try fromDocument.ingest(.bytes(F.document(snapshot)), manifest: F.manifest(), now: F.now)

        // Then every store holds the same records, each the serializer's text of its value
        let records = try Self.records(fromCompact)
        #expect(try Self.records(fromEscaped) == records)
        #expect(try Self.records(fromLoose) == records)
        #expect(try Self.records(fromDocument) == records)
        for (id, record) in records {
            let value = try JSONParser.parse(record)
            #expect(JSONSerializer.string(value) == record, "\(id)")
        }
        #expect(records["vm/pve-a/alias"]?.contains("\"platform\":\"proxmox-pve\"") == true)
        #expect(records["vm/pve-a/odd"]?.contains("{\"path\":\"a/b\",\"letter\":\"A\",\"ratio\":2.5}") == true)
    }

    static func records(_ store: ResourceStore) throws -> [String: String] {
        try store.database.read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT id, record FROM resource").map {
                ($0["id"] as String, $0["record"] as String)
            })
        }
    }
}
