import JSON
import Testing

/// The swift-nio-extras `LineBasedFrameDecoder` checklist, as one table.
///
/// Every case is fed whole, one byte at a time, and split in two at every
/// byte: framing must not depend on how the stream was cut into reads.
struct LineFramerTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var input: [UInt8]
        var limit = 16
        var frames: [LineFramer.Frame]
        var leftover: LineFramer.Frame? = nil

        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "one line", input: bytes("{\"a\":1}\n"), frames: [line("{\"a\":1}")]),
        Case(name: "several messages in one append", input: bytes("a\nbb\nccc\n"), frames: [line("a"), line("bb"), line("ccc")]),
        Case(name: "empty and whitespace-only lines are skipped", input: bytes("\n\n \t \na\n\r\n  \r\nb\n"), frames: [line("a"), line("b")]),
        Case(name: "CRLF endings", input: bytes("a\r\nb\r\n"), frames: [line("a"), line("b")]),
        Case(name: "a CR inside a line is kept", input: bytes("a\rb\n"), frames: [line("a\rb")]),
        Case(name: "end of input mid-line", input: bytes("a\nbc"), frames: [line("a")], leftover: line("bc")),
        Case(name: "end of input after a CR", input: bytes("a\nbc\r"), frames: [line("a")], leftover: line("bc")),
        Case(name: "whitespace at end of input", input: bytes("a\n \t"), frames: [line("a")]),
        Case(name: "nothing at all", input: [], frames: []),
        Case(name: "line exactly at the limit", input: bytes("0123456789abcdef\n"), frames: [line("0123456789abcdef")]),
        Case(name: "line at the limit with CRLF", input: bytes("0123456789abcdef\r\n"), frames: [line("0123456789abcdef")]),
        Case(name: "one byte over the limit", input: bytes("0123456789abcdefX\nok\n"), frames: [.oversized(byteCount: 17), line("ok")]),
        Case(name: "over the limit with CRLF", input: bytes("0123456789abcdefXY\r\nok\r\n"), frames: [.oversized(byteCount: 19), line("ok")]),
        Case(name: "far over the limit", input: bytes(String(repeating: "x", count: 50) + "\nok\n"), frames: [.oversized(byteCount: 50), line("ok")]),
        Case(name: "oversized whitespace is still reported", input: bytes(String(repeating: " ", count: 20) + "\nok\n"), frames: [.oversized(byteCount: 20), line("ok")]),
        Case(name: "oversized at end of input", input: bytes("ok\n" + String(repeating: "x", count: 40)), frames: [line("ok")], leftover: .oversized(byteCount: 40)),
        Case(name: "oversized at end of input after a CR", input: bytes(String(repeating: "x", count: 20) + "\r"), frames: [], leftover: .oversized(byteCount: 21)),
        Case(name: "a tiny limit", input: bytes("a\nbb\nc\n"), limit: 1, frames: [line("a"), .oversized(byteCount: 2), line("c")]),
    ]

    @Test(arguments: cases)
    func framesTheSameWhateverTheReads(_ testCase: Case) {
        let whole = frame(testCase, chunks: [testCase.input])
        #expect(whole.frames == testCase.frames, "fed whole")
        #expect(whole.leftover == testCase.leftover, "fed whole")

        let drip = frame(testCase, chunks: testCase.input.map { [$0] })
        #expect(drip.frames == testCase.frames, "fed one byte at a time")
        #expect(drip.leftover == testCase.leftover, "fed one byte at a time")

        for split in testCase.input.indices {
            let halves = [Array(testCase.input[..<split]), Array(testCase.input[split...])]
            let result = frame(testCase, chunks: halves)
            #expect(result.frames == testCase.frames, "split at byte \(split)")
            #expect(result.leftover == testCase.leftover, "split at byte \(split)")
        }
    }

    @Test func crDripFedBeforeLFEndsTheLine() {
        // Given a line whose CR arrives alone
        var framer = LineFramer(maximumLineLength: 64)
        framer.append(bytes("abc\r"))
        // Then nothing is framed yet: the CR may be part of the line
        #expect(framer.nextFrame() == nil)
        // When the LF arrives
        framer.append(bytes("\n"))
        // Then the line comes out without its CR
        #expect(framer.nextFrame() == line("abc"))
        #expect(framer.nextFrame() == nil)
        #expect(framer.finish() == nil)
    }

    @Test func finishResetsTheFramer() {
        var framer = LineFramer(maximumLineLength: 4)
        framer.append(bytes("toolong"))
        #expect(framer.nextFrame() == nil)
        #expect(framer.finish() == .oversized(byteCount: 7))
        // A finished framer starts clean.
        framer.append(bytes("ok\n"))
        #expect(framer.nextFrame() == line("ok"))
        #expect(framer.bufferedByteCount == 0)
    }

    /// Memory stays bounded by the limit plus one read: the framer keeps at
    /// most `limit + 1` bytes between reads (one byte of slack for a CR that
    /// may precede the LF), so it never holds more than `limit + 1 + chunk`.
    @Test(arguments: [1, 7, 64, 1000])
    func oversizedLineInChunksKeepsMemoryBounded(chunkSize: Int) {
        let limit = 64
        let lineLength = 20_000
        var framer = LineFramer(maximumLineLength: limit)
        var frames: [LineFramer.Frame] = []
        var peak = 0
        let input = [UInt8](repeating: UInt8(ascii: "x"), count: lineLength) + bytes("\nnext\n")
        var offset = 0
        while offset < input.count {
            let end = min(offset + chunkSize, input.count)
            framer.append(input[offset..<end])
            peak = max(peak, framer.bufferedByteCount)
            while let frame = framer.nextFrame() { frames.append(frame) }
            #expect(framer.bufferedByteCount <= limit + 1, "between reads, at byte \(offset)")
            offset = end
        }
        #expect(peak <= limit + 1 + chunkSize)
        #expect(frames == [.oversized(byteCount: lineLength), line("next")])
        #expect(framer.finish() == nil)
    }

    @Test func manyLinesThroughOneFramerCompactTheBuffer() {
        // Given a long stream of short lines read in odd-sized chunks
        let lines = (0..<2000).map { "{\"id\":\($0)}" }
        let input = bytes(lines.joined(separator: "\n") + "\n")
        var framer = LineFramer(maximumLineLength: 32)
        var framed: [String] = []
        var peak = 0
        var offset = 0
        while offset < input.count {
            let end = min(offset + 37, input.count)
            framer.append(input[offset..<end])
            peak = max(peak, framer.bufferedByteCount)
            while case .line(let bytes)? = framer.nextFrame() {
                framed.append(String(decoding: bytes, as: UTF8.self))
            }
            offset = end
        }
        // Then every line comes out once, in order, and little is held at a time
        #expect(framed == lines)
        #expect(peak <= 32 + 37)
    }

    // MARK: - Helpers

    private func frame(_ testCase: Case, chunks: [[UInt8]]) -> (frames: [LineFramer.Frame], leftover: LineFramer.Frame?) {
        var framer = LineFramer(maximumLineLength: testCase.limit)
        var frames: [LineFramer.Frame] = []
        for chunk in chunks {
            framer.append(chunk)
            while let frame = framer.nextFrame() { frames.append(frame) }
        }
        return (frames, framer.finish())
    }
}

private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

private func line(_ text: String) -> LineFramer.Frame { .line(Array(text.utf8)) }
