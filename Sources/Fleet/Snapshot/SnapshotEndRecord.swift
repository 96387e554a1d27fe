import Crypto
import JSON

/// The last line of a JSON Lines snapshot: how many lines came before it, and their SHA-256.
///
/// ```
/// {"generatedAt":"2026-11-28T10:00:00Z"}
/// {"resource":{"id":"agent/pve-a",...}}
/// ...
/// {"end":{"lines":1234,"sha256":"9f86d081884c7d65…"}}
/// ```
/// `lines` counts the non-blank lines before the end record; `sha256` digests those lines, each
/// followed by one `\n`. For a file with `\n` endings and no blank lines (what `demo` writes) that is
/// the digest of every byte before the end line: `head -n -1 fleet.jsonl | sha256sum`. A file cut
/// anywhere has no end record; one with lines dropped, added or changed has the wrong count or digest.
package struct SnapshotEndRecord: Sendable, Hashable {
    /// The end record's key on its line.
    package static let key = "end"

    package var lines: Int
    package var sha256: String

    package init(lines: Int, sha256: String) {
        self.lines = lines
        self.sha256 = sha256
    }

    /// The record as its line, without the newline.
    package var line: [UInt8] {
        var bytes = Array(#"{"end":{"lines":"#.utf8)
        JSONSerializer.appendInteger(Int64(lines), to: &bytes)
        bytes.append(contentsOf: #","sha256":"#.utf8)
        JSONSerializer.appendString(sha256, to: &bytes)
        bytes.append(contentsOf: "}}".utf8)
        return bytes
    }

    /// The end record a line's `end` value describes; nil when it is not `{"lines": N, "sha256": "…"}`.
    init?(_ value: JSONValue) {
        guard case .object(let object) = value.plain, object.count == 2,
              let lines = object["lines"]?.integerValue, lines >= 0, let sha256 = object["sha256"]?.stringValue
        else { return nil }
        self.init(lines: Int(lines), sha256: sha256)
    }

    /// Counts and digests lines as they are written or read.
    package struct Digest: Sendable {
        private var hasher = SHA256()
        package private(set) var lines = 0

        package init() {}

        /// Adds one line (without its line ending).
        package mutating func add(line bytes: some Collection<UInt8>) {
            add(bytes: bytes, lines: 1)
            hasher.update(data: [UInt8(ascii: "\n")])
        }

        /// Adds bytes already holding `lines` lines, each ended by `\n` (a writer's buffer).
        package mutating func add(bytes: some Collection<UInt8>, lines count: Int) {
            if let done = bytes.withContiguousStorageIfAvailable({ hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }) {
                _ = done
            } else {
                hasher.update(data: Array(bytes))
            }
            lines += count
        }

        /// Counts a line whose bytes were not kept (one over the length limit): the digest will not match.
        mutating func skip() {
            lines += 1
        }

        /// The end record for what was added so far.
        package func finish() -> SnapshotEndRecord {
            let hex = hasher.finalize().map { byte in
                let text = String(byte, radix: 16)
                return byte < 16 ? "0" + text : text
            }.joined()
            return SnapshotEndRecord(lines: lines, sha256: hex)
        }
    }
}
