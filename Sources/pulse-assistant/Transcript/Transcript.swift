import AssistantTools
import Foundation
import JSON
import Policy
import ResourceStore

/// A recorded session: a header line, then one line per message in wire order.
///
/// ```
/// {"transcript": {"version": 1, "fixture": {"demo": {"seed": 1, "scale": 1}}, "clock": "2026-11-28T10:00:00Z", ...}}
/// {"c2s": {"jsonrpc": "2.0", "id": 1, "method": "initialize", ...}}
/// {"s2c": {"jsonrpc": "2.0", "id": 1, "result": {...}}}
/// {"c2sRaw": "{not json"}            a line the client sent that is not JSON, as text
/// {"c2sOversized": 2048}             a line of that many bytes, over the server's limit
/// ```
struct Transcript: Equatable {
    var header: TranscriptHeader
    var entries: [TranscriptEntry]

    /// The largest transcript file read (it is held whole): 1 GiB.
    static let maximumBytes = 1 << 30

    /// Reads a transcript file.
    ///
    /// - Throws: a ``TranscriptError`` naming the line and what is wrong with it.
    static func read(_ path: String) throws -> Transcript {
        let data: [UInt8]
        do {
            data = try BoundedFile.read(path, limit: Self.maximumBytes)
        } catch {
            throw TranscriptError("cannot read \(path): \(error)")
        }
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
        guard let first = lines.first else { throw TranscriptError("\(path) is empty: a transcript starts with its header line") }
        let header: TranscriptHeader
        do {
            header = try TranscriptHeader(JSONParser.parse(Array(first))["transcript"] ?? .null)
        } catch {
            throw TranscriptError("\(path):1: not a transcript header: \(error)")
        }
        var entries: [TranscriptEntry] = []
        for (offset, line) in lines.dropFirst().enumerated() {
            do {
                entries.append(try TranscriptEntry(JSONParser.parse(Array(line))))
            } catch {
                throw TranscriptError("\(path):\(offset + 2): \(error)")
            }
        }
        return Transcript(header: header, entries: entries)
    }

    /// The file's text: the header, then every entry, one per line.
    var text: String {
        ([JSONValue.object(["transcript": header.json])] + entries.map(\.json)).map { JSONSerializer.string($0) + "\n" }.joined()
    }
}

/// One line after the header.
enum TranscriptEntry: Equatable {
    /// A message the client sent.
    case c2s(JSONValue)
    /// A line the client sent that is not JSON.
    case c2sRaw(String)
    /// A line of this many bytes, over the server's limit (not stored, regenerated as `x`s).
    case c2sOversized(Int)
    /// A message the server sent.
    case s2c(JSONValue)

    /// The longest oversized line a replay sends: past any server's limit, and sent in pieces.
    static let maximumOversized = 1 << 30

    init(_ value: JSONValue) throws {
        guard case .object(let object) = value, object.count == 1, let key = object.keys.first, let body = object[key] else {
            throw TranscriptError("an entry is an object with one key: c2s, s2c, c2sRaw or c2sOversized")
        }
        switch key {
        case "c2s": self = .c2s(body)
        case "s2c": self = .s2c(body)
        case "c2sRaw":
            guard let text = body.stringValue else { throw TranscriptError("c2sRaw holds the line as a string") }
            self = .c2sRaw(text)
        case "c2sOversized":
            guard let count = body.integerValue, (1...Int64(Self.maximumOversized)).contains(count) else {
                throw TranscriptError("c2sOversized holds a byte count from 1 to \(Self.maximumOversized) (1 GiB)")
            }
            self = .c2sOversized(Int(count))
        default:
            throw TranscriptError("unknown entry \(key); known: c2s, s2c, c2sRaw, c2sOversized")
        }
    }

    var json: JSONValue {
        switch self {
        case .c2s(let value): ["c2s": value]
        case .s2c(let value): ["s2c": value]
        case .c2sRaw(let text): ["c2sRaw": .string(text)]
        case .c2sOversized(let count): ["c2sOversized": .integer(Int64(count))]
        }
    }
}

/// A transcript that cannot be read or replayed, said for the person running it.
struct TranscriptError: Error, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
