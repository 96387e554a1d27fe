import Crypto
import Fleet

/// The content hash a sync keeps per row (`syncedRow.hash`): the first 128 bits of SHA-256 over the
/// row's stored fields, as hex. Two rows with the same hash are written the same way, so an unchanged
/// row is skipped; a cryptographic hash, because the content comes from outside (an alias keeps the
/// id it names instead).
enum SyncRowHash {
    /// A resource's hash: its record and parent, salted with the fingerprint of the manifest that
    /// checked it (``CheckedFleet/hashSalt``), so that one kept under another manifest is checked again.
    static func of(_ row: IngestRow.Resource, salt: String) -> String {
        hash([salt, row.record, row.parentId ?? ""])
    }

    /// A resource's hash from its record's compact JSON, as `of(_:)` hashes the
    /// row that record becomes (the same bytes: a record is stored as it is serialized).
    static func of(record: [UInt8], parentId: String?, salt: String) -> String {
        var hasher = SHA256()
        var salt = salt
        salt.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        hasher.update(data: separator)
        hasher.update(data: record)
        hasher.update(data: separator)
        var parent = parentId ?? ""
        parent.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        hasher.update(data: separator)
        return hex(hasher.finalize())
    }

    static func of(_ row: IngestRow.Agent) -> String {
        hash([row.hostResourceId, row.endpoint, row.commandsEnabled ? "1" : "0", row.lastHeartbeat.map(String.init) ?? "", row.version ?? ""])
    }

    static func of(_ row: IngestRow.Alert) -> String {
        hash([row.resourceId, row.severity, row.message, String(row.since)])
    }

    static func of(_ row: IngestRow.RecoveryPoint) -> String {
        hash([
            row.resourceId, row.platform, row.kind, String(row.at), row.sizeBytes.map(String.init) ?? "",
            row.verified.map { $0 ? "1" : "0" } ?? "",
        ])
    }

    /// An alias's content is the one id it names: kept as it is, compared exactly, no hash to compute
    /// for each of the four or so aliases of every resource.
    static func of(alias resourceId: String) -> String {
        resourceId
    }

    /// Fields separated by NUL, which no field of ours holds, so ("a", "bc") and ("ab", "c") differ.
    private static func hash(_ fields: [String]) -> String {
        var hasher = SHA256()
        for var field in fields {
            field.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
            hasher.update(data: separator)
        }
        return hex(hasher.finalize())
    }

    private static let separator: [UInt8] = [0]

    private static func hex(_ digest: SHA256.Digest) -> String {
        var text = ""
        text.reserveCapacity(32)
        for byte in digest.prefix(16) {
            text.append(Self.hexDigits[Int(byte >> 4)])
            text.append(Self.hexDigits[Int(byte & 0x0F)])
        }
        return text
    }

    private static let hexDigits = Array("0123456789abcdef")
}
