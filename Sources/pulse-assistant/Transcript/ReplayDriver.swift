import Foundation
import JSON

extension Replay {
    /// Sends the client's side of a transcript in order, waiting where the recorded session waited.
    struct Driver {
        let server: ServerProcess
        let timeout: Double
        /// Requests sent and not yet answered (cancelled ones are not waited for).
        private var pending: [JSONValue] = []
        private var answersSent = 0
        /// What was sent, with how many server lines had arrived before it: for the session as it went.
        private var sent: [(after: Int, entry: TranscriptEntry)] = []

        init(server: ServerProcess, timeout: Double) {
            self.server = server
            self.timeout = timeout
        }

        /// Plays the `c2s` entries; returns what went wrong (a timeout, a server gone).
        mutating func play(_ entries: [TranscriptEntry]) -> [String] {
            for entry in entries {
                switch entry {
                case .s2c:
                    continue
                case .c2sRaw(let text):
                    send(Array(text.utf8), entry)
                case .c2sOversized(let count):
                    sendOversized(count, entry)
                case .c2s(let message):
                    if let problem = play(message) { return [problem] }
                }
            }
            guard waitForPending() else { return ["timed out after \(timeout) s waiting for the responses to \(describe(pending))"] }
            return []
        }

        private mutating func play(_ message: JSONValue) -> String? {
            guard case .object(var object) = message else {
                send(JSONSerializer.bytes(message), .c2s(message))  // a batch, or a bare value
                return nil
            }
            switch (object["method"]?.stringValue, object["id"]) {
            case (_?, let id?):
                guard waitForPending() else { return "timed out after \(timeout) s waiting for the responses to \(describe(pending)) before sending id \(JSONSerializer.string(id))" }
                send(JSONSerializer.bytes(message), .c2s(message))
                pending.append(id)
            case ("notifications/cancelled"?, nil):
                let cancelled = object["params"]?["requestId"]
                pending.removeAll { $0 == cancelled }
                send(JSONSerializer.bytes(message), .c2s(message))
            case (_?, nil):
                send(JSONSerializer.bytes(message), .c2s(message))
            case (nil, _):
                // An answer to the server's next request (an approval): it goes when that request is here.
                let index = answersSent
                guard let request = server.waitForRequest(index, timeout: timeout) else {
                    return "timed out after \(timeout) s waiting for server request #\(index + 1), which the transcript answers"
                }
                object["id"] = request["id"]
                answersSent += 1
                send(JSONSerializer.bytes(.object(object)), .c2s(.object(object)))
            }
            return nil
        }

        private mutating func send(_ bytes: [UInt8], _ entry: TranscriptEntry) {
            sent.append((server.count, entry))
            server.send(bytes + [UInt8(ascii: "\n")])
        }

        /// Sends a line of `count` `x`s a piece at a time, so that memory stays bounded whatever the count.
        private mutating func sendOversized(_ count: Int, _ entry: TranscriptEntry) {
            sent.append((server.count, entry))
            let piece = [UInt8](repeating: UInt8(ascii: "x"), count: min(count, 1 << 16))
            var left = count
            while left > 0 {
                let size = min(left, piece.count)
                guard server.send(size == piece.count ? piece : Array(piece[..<size])) else { return }
                left -= size
            }
            server.send([UInt8(ascii: "\n")])
        }

        private func allAnswered() -> Bool {
            server.waitForAnswers(to: pending, timeout: timeout)
        }

        private mutating func waitForPending() -> Bool {
            let done = allAnswered()
            if done { pending = [] }
            return done
        }

        private func describe(_ ids: [JSONValue]) -> String {
            "id " + ids.map { JSONSerializer.string($0) }.joined(separator: ", ")
        }

        /// The session in wire order as the client saw it: what it sent between the lines it received.
        func merged(with received: [JSONValue]) -> [TranscriptEntry] {
            var out: [TranscriptEntry] = []
            var next = 0
            for (index, line) in received.enumerated() {
                while next < sent.count, sent[next].after <= index {
                    out.append(sent[next].entry)
                    next += 1
                }
                out.append(.s2c(line))
            }
            out += sent[next...].map(\.entry)
            return out
        }
    }
}
