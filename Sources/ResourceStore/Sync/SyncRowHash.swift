import Crypto
import Fleet

/// The content hash a sync keeps per row (`syncedRow.hash`): the first 128 bits of SHA-256 over the
/// row's stored fields, as hex. Two rows with the same hash are written the same way, so an unchanged
/// row is skipped; a cryptographic hash, because the content comes from outside.
enum SyncRowHash {
    static func of(_ row: IngestRow.Resource) -> String {
        hash([row.record, row.parentId ?? ""])
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

    static func of(alias resourceId: String) -> String {
        hash([resourceId])
    }

    /// Fields separated by NUL, which no field of ours holds, so ("a", "bc") and ("ab", "c") differ.
    private static func hash(_ fields: [String]) -> String {
        var hasher = SHA256()
        for field in fields {
            hasher.update(data: Array(field.utf8))
            hasher.update(data: [0])
        }
        let digest = hasher.finalize()
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
