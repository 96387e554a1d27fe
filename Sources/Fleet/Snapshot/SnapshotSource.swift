/// Where a snapshot comes from: a file (the CLI) or bytes in memory (tests, the embedded demo fleet).
///
/// The form is detected from the first record, not from a file name: a JSON document
/// `{"generatedAt": …, "resources": [...], …}` or JSON Lines, one `{"resource": {...}}` record per line.
package enum SnapshotSource: Sendable, CustomStringConvertible {
    /// A snapshot file; JSON Lines is read in chunks, so a file of any size fits in bounded memory.
    case file(String)
    /// A snapshot already in memory.
    case bytes([UInt8])

    /// What the store records as the snapshot's source: the path, or how many bytes were given.
    package var description: String {
        switch self {
        case .file(let path): path
        case .bytes(let bytes): "\(bytes.count) bytes in memory"
        }
    }
}

/// The two forms of a snapshot (DESIGN §3).
package enum SnapshotFormat: String, Sendable, Hashable {
    /// One JSON object with arrays `resources`, `agents`, `connections`, `alerts`,
    /// `recoveryPoints`, `metricSamples`; parsed whole.
    case jsonDocument = "json"
    /// One record per line; read in bounded memory.
    case jsonLines = "jsonl"

    /// Decides the form from the first bytes of a snapshot.
    ///
    /// JSON Lines when the first object's first key is a record kind (`{"resource": …`), or is
    /// `generatedAt` in an object that closes right after its value (`{"generatedAt": "…"}`);
    /// otherwise a JSON document, whose parser then reports anything malformed.
    static func detect(_ prefix: some Collection<UInt8>) -> SnapshotFormat {
        var scanner = PrefixScanner(bytes: Array(prefix))
        guard scanner.take(UInt8(ascii: "{")), let key = scanner.string() else { return .jsonDocument }
        if SnapshotRecordKind(lineKey: key) != nil || key == SnapshotEndRecord.key { return .jsonLines }
        guard key == "generatedAt", scanner.take(UInt8(ascii: ":")), scanner.string() != nil,
              scanner.take(UInt8(ascii: "}"))
        else { return .jsonDocument }
        return .jsonLines
    }

    /// Just enough of a JSON scanner to read the first key and string value.
    private struct PrefixScanner {
        var bytes: [UInt8]
        var index = 0

        mutating func skipWhitespace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        mutating func take(_ byte: UInt8) -> Bool {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        /// A string without escapes (keys and timestamps have none); nil otherwise.
        mutating func string() -> String? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = index
            while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                if bytes[index] == UInt8(ascii: "\\") { return nil }
                index += 1
            }
            guard index < bytes.count else { return nil }
            defer { index += 1 }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }
    }
}
