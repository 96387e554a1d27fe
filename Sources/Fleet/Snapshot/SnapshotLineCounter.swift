import Foundation

/// Numbers the lines that ``LineFramer`` hands out, so that errors can say `line 45`.
///
/// The framer skips blank lines and does not count lines, so this mirrors its rule over the same
/// bytes: a line becomes a frame when it holds something other than whitespace, or when it is
/// longer than the limit (then it is reported as oversized, whatever it holds). Feed it each chunk
/// before the framer and take one number per frame, in order.
///
/// ```
/// bytes:   {"a":1}\n \n\n{"b":2}\r\n{"c"
/// lines:   1         2  3  4          5 (at finish)
/// frames:  1                4          5
/// ```
struct SnapshotLineCounter {
    let maximumLineLength: Int
    private var lineNumber = 0
    private var length = 0
    private var hasContent = false
    private var endsWithCR = false
    private var numbers: [Int] = []
    private var taken = 0

    init(maximumLineLength: Int) {
        self.maximumLineLength = maximumLineLength
    }

    /// Scans a chunk, numbering every line it completes.
    mutating func scan(_ chunk: UnsafeBufferPointer<UInt8>) {
        guard let base = chunk.baseAddress else { return }
        var index = 0
        while index < chunk.count {
            let rest = UnsafeRawPointer(base + index)
            if let newline = memchr(rest, 0x0A, chunk.count - index) {
                let end = index + (UnsafeRawPointer(newline) - rest)
                consume(UnsafeBufferPointer(rebasing: chunk[index..<end]))
                endLine()
                index = end + 1
            } else {
                consume(UnsafeBufferPointer(rebasing: chunk[index...]))
                index = chunk.count
            }
        }
    }

    /// Ends the input: numbers the unterminated last line, if it is a frame.
    mutating func finish() {
        if length > 0 { endLine() }
    }

    /// The number of the next frame's line.
    mutating func next() -> Int {
        guard taken < numbers.count else { return lineNumber }
        defer {
            taken += 1
            if taken == numbers.count {
                numbers.removeAll(keepingCapacity: true)
                taken = 0
            }
        }
        return numbers[taken]
    }

    private mutating func consume(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let last = bytes.last else { return }
        length += bytes.count
        endsWithCR = last == 0x0D
        if !hasContent {
            hasContent = bytes.contains { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D && $0 != 0x0A }
        }
    }

    private mutating func endLine() {
        lineNumber += 1
        let content = length - (endsWithCR ? 1 : 0)
        if hasContent || content > maximumLineLength {
            numbers.append(lineNumber)
        }
        length = 0
        hasContent = false
        endsWithCR = false
    }
}
