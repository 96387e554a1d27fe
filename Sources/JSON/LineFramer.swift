/// Splits a byte stream into lines, with a bound on line length and memory.
///
/// ```
/// bytes in:   {"id":1,...}\n{"id":2,...}\r\n\n{"id":3,..
/// frames out: .line({"id":1,...})  .line({"id":2,...})  (empty line skipped)
/// finish():   .line({"id":3,..)    the leftover at end of input
/// ```
///
/// A line longer than `maximumLineLength` bytes (not counting `\n` or a
/// trailing `\r`) is not buffered: its bytes are discarded as they arrive, and
/// when its newline comes it is reported once as ``Frame/oversized(byteCount:)``
/// so the reader can answer it. Memory stays bounded by the limit plus one
/// read, however long the line. Lines that hold only whitespace are skipped.
package struct LineFramer: Sendable {
    package enum Frame: Sendable, Equatable {
        /// A complete line, without its line ending.
        case line([UInt8])
        /// A line over the limit, dropped; `byteCount` is its full length before the `\n`.
        case oversized(byteCount: Int)
    }

    package let maximumLineLength: Int
    private var buffer: [UInt8] = []
    /// Where the next frame starts in `buffer`.
    private var start = 0
    /// How far `buffer` has been searched for a newline.
    private var scanned = 0
    /// Bytes of an oversized line discarded so far, or nil when not discarding.
    private var discarded: Int?

    package init(maximumLineLength: Int) {
        self.maximumLineLength = max(1, maximumLineLength)
    }

    /// Adds bytes read from the stream.
    package mutating func append(_ bytes: some Collection<UInt8>) {
        if start > 0, start >= buffer.count / 2 {
            buffer.removeSubrange(0..<start)
            scanned -= start
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete frame, or nil when more bytes are needed.
    package mutating func nextFrame() -> Frame? {
        while true {
            guard let newline = buffer[scanned...].firstIndex(of: UInt8(ascii: "\n")) else {
                scanned = buffer.count
                discardIfOverLimit()
                return nil
            }
            let lineStart = start
            start = newline + 1
            scanned = start
            if let count = discarded {
                discarded = nil
                return .oversized(byteCount: count + newline - lineStart)
            }
            if let frame = frame(from: lineStart, to: newline) {
                return frame
            }
        }
    }

    /// Ends the stream: the unterminated last line, if any, as a frame.
    package mutating func finish() -> Frame? {
        defer {
            buffer = []
            start = 0
            scanned = 0
            discarded = nil
        }
        if let count = discarded {
            return .oversized(byteCount: count + buffer.count - start)
        }
        return frame(from: start, to: buffer.count)
    }

    /// Bytes held in memory right now: bounded by the limit plus the last read.
    package var bufferedByteCount: Int { buffer.count - start }

    private func frame(from lineStart: Int, to lineEnd: Int) -> Frame? {
        var end = lineEnd
        if end > lineStart, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        if end - lineStart > maximumLineLength {
            // Count the whole line as the discarding path does (a `\r` included),
            // so the reported size does not depend on how reads split the line.
            return .oversized(byteCount: lineEnd - lineStart)
        }
        let line = buffer[lineStart..<end]
        guard line.contains(where: { !Self.isWhitespace($0) }) else { return nil }
        return .line(Array(line))
    }

    /// Drops the pending partial line once it can no longer fit the limit.
    private mutating func discardIfOverLimit() {
        let pending = buffer.count - start
        // One byte of slack for a `\r` that may precede the newline.
        guard discarded != nil || pending > maximumLineLength + 1 else { return }
        discarded = (discarded ?? 0) + pending
        buffer.removeAll(keepingCapacity: buffer.capacity <= 2 * maximumLineLength)
        start = 0
        scanned = 0
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
    }
}
