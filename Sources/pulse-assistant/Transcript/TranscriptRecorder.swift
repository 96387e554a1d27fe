import AssistantTools
import ControlEndpoints
import Foundation
import JSON
import JSONRPC
import Synchronization

/// Writes a live session as a transcript (`serve --record FILE`): every line the client sent and
/// every line the server wrote, in wire order, with secrets redacted.
///
/// The header waits for the client's `initialize`, so that it can name the client's capabilities;
/// lines before it are held until then (or until the session ends).
final class TranscriptRecorder: Sendable {
    private let handle: FileHandle
    private let state: Mutex<State>
    /// Endpoint tokens: masked in every line, whichever way it went.
    private let secrets: KnownSecrets

    private struct State {
        var header: TranscriptHeader
        var headerWritten = false
        var held: [TranscriptEntry] = []
    }

    init(path: String, header: TranscriptHeader, secrets: KnownSecrets = KnownSecrets()) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw TranscriptError("cannot create the transcript file \(path)")
        }
        guard let handle = FileHandle(forWritingAtPath: path) else { throw TranscriptError("cannot open \(path) for writing") }
        self.handle = handle
        self.state = Mutex(State(header: header))
        self.secrets = secrets
    }

    /// A frame the connection read.
    func recordInput(_ frame: LineFramer.Frame) {
        let entry: TranscriptEntry
        switch frame {
        case .oversized(let count):
            entry = .c2sOversized(count)
        case .line(let bytes):
            if let value = try? JSONParser.parse(bytes) {
                entry = .c2s(secrets.masker.mask(Redaction.redactMessage(value)))
            } else {
                entry = .c2sRaw(secrets.masker.mask(Redaction.maskingCredentials(in: String(decoding: bytes, as: UTF8.self))))
            }
        }
        state.withLock { state in
            if !state.headerWritten, case .c2s(let message) = entry, message["method"] == "initialize" {
                state.header.client = message["params"]?["capabilities"] ?? .null
                state.held.append(entry)
                flush(&state)
                return
            }
            if state.headerWritten { write(entry) } else { state.held.append(entry) }
        }
    }

    /// A line the server wrote (with its newline).
    func recordOutput(_ line: [UInt8]) {
        let value = (try? JSONParser.parse(line.dropLast(line.last == UInt8(ascii: "\n") ? 1 : 0))) ?? .string(String(decoding: line, as: UTF8.self))
        let entry = TranscriptEntry.s2c(secrets.masker.mask(Redaction.maskingStrings(value)))
        state.withLock { state in
            if state.headerWritten { write(entry) } else { state.held.append(entry) }
        }
    }

    /// Writes what is still held (a session that never initialized) and closes the file.
    func finish() {
        state.withLock { state in
            if !state.headerWritten { flush(&state) }
        }
        try? handle.synchronize()
        try? handle.close()
    }

    private func flush(_ state: inout State) {
        state.headerWritten = true
        write(json: .object(["transcript": state.header.json]))
        for entry in state.held { write(entry) }
        state.held = []
    }

    private func write(_ entry: TranscriptEntry) {
        write(json: entry.json)
    }

    private func write(json: JSONValue) {
        var bytes = JSONSerializer.bytes(json)
        bytes.append(UInt8(ascii: "\n"))
        handle.write(Data(bytes))
    }
}
