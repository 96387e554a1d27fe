import JSON

/// Splits a page body `{"data": [row, …], "meta": {…}, …}` into the byte range of each row of
/// `data` without building a tree of any row, so that a row can be recognised by its bytes before
/// it is parsed (``PulseRawRowHash``).
///
/// Strict where the split depends on it: strings (escapes included, so a `"` or `]` inside one is
/// not structure), nesting with matching brackets (depth bounded as ``JSONParser`` bounds it, the
/// envelope's two levels counted), commas between values and none trailing, one value and nothing
/// after it. Every value that is not a row (the `meta` object, `aggregations`, the keys) is parsed
/// with ``JSONParser``, and a row is parsed with it unless recognised, so a body the scanner
/// accepts is one the parser accepts as well, up to rows whose bytes a sync parsed before. Anything
/// the scanner does not accept (nil) goes to ``PulsePage/init(_:)``, which gives today's error.
struct PulsePageScanner {
    /// The envelope's values other than `data`, parsed, and the byte ranges of `data`'s rows.
    struct Scanned {
        var rows: [Range<Int>]
        var others: JSONObject
    }

    /// The split of `body`, or nil when it is not a JSON object with one `data` array that the
    /// scanner can read (then the caller parses the whole body and reports what is wrong).
    static func scan(_ body: [UInt8]) -> Scanned? {
        body.withUnsafeBufferPointer { buffer in
            var scanner = Cursor(bytes: buffer)
            return scanner.envelope()
        }
    }

    private struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        mutating func skipWhitespace() {
            var at = index
            while at < bytes.count {
                switch bytes[at] {
                case 0x20, 0x09, 0x0A, 0x0D: at += 1
                default:
                    index = at
                    return
                }
            }
            index = at
        }

        func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

        /// `{ "key": value, … }` at the top, `data` split into rows, every other value parsed.
        mutating func envelope() -> Scanned? {
            skipWhitespace()
            guard peek() == UInt8(ascii: "{") else { return nil }
            index += 1
            var rows: [Range<Int>]?
            var others = JSONObject()
            var keys = Set<String>()
            skipWhitespace()
            if peek() == UInt8(ascii: "}") {
                index += 1
            } else {
                while true {
                    skipWhitespace()
                    let keyStart = index
                    guard skipString() else { return nil }
                    guard case .string(let key)? = try? JSONParser.parse(bytes[keyStart..<index]),
                          keys.insert(key).inserted else { return nil }
                    skipWhitespace()
                    guard peek() == UInt8(ascii: ":") else { return nil }
                    index += 1
                    skipWhitespace()
                    if key == "data", peek() == UInt8(ascii: "[") {
                        guard let split = array() else { return nil }
                        rows = split
                    } else {
                        let valueStart = index
                        guard skipValue(depth: 1), let value = try? JSONParser.parse(bytes[valueStart..<index]) else { return nil }
                        others[key] = value
                    }
                    skipWhitespace()
                    guard let next = peek() else { return nil }
                    index += 1
                    if next == UInt8(ascii: "}") { break }
                    guard next == UInt8(ascii: ",") else { return nil }
                }
            }
            skipWhitespace()
            guard index == bytes.count, let rows else { return nil }
            return Scanned(rows: rows, others: others)
        }

        /// `[ row, … ]` at depth 1, each row's range.
        private mutating func array() -> [Range<Int>]? {
            index += 1
            var rows: [Range<Int>] = []
            skipWhitespace()
            if peek() == UInt8(ascii: "]") {
                index += 1
                return rows
            }
            while true {
                skipWhitespace()
                let start = index
                guard skipValue(depth: 2) else { return nil }
                rows.append(start..<index)
                skipWhitespace()
                guard let next = peek() else { return nil }
                index += 1
                if next == UInt8(ascii: "]") { return rows }
                guard next == UInt8(ascii: ",") else { return nil }
            }
        }

        /// One value: a string, or an object or array with brackets matched, or a bare token
        /// (number, `true`, `false`, `null`: its characters, which the parser checks when it reads the
        /// row). `depth` is the nesting the value starts at, as the parser counts it.
        private mutating func skipValue(depth: Int) -> Bool {
            guard let first = peek() else { return false }
            if first == UInt8(ascii: "\"") { return skipString() }
            if first != UInt8(ascii: "{"), first != UInt8(ascii: "[") { return skipToken() }
            // Brackets still open, innermost last; an object's member must be "key": value.
            var open: [UInt8] = []
            open.reserveCapacity(16)
            var expectsKey = false
            while true {
                skipWhitespace()
                guard let byte = peek() else { return false }
                switch byte {
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    // Stricter than the parser, never laxer: a body refused here is parsed whole.
                    guard !expectsKey, depth + open.count < JSONParser.maximumDepth - 1 else { return false }
                    open.append(byte)
                    index += 1
                    skipWhitespace()
                    let close = byte == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                    if peek() == close {
                        index += 1
                        open.removeLast()
                    } else {
                        expectsKey = byte == UInt8(ascii: "{")
                        continue
                    }
                case UInt8(ascii: "\""):
                    guard skipString() else { return false }
                    if expectsKey {
                        skipWhitespace()
                        guard peek() == UInt8(ascii: ":") else { return false }
                        index += 1
                        expectsKey = false
                        continue
                    }
                default:
                    guard !expectsKey, skipToken() else { return false }
                }
                // A value ended: close what it ends, then a comma or the end of the value.
                while true {
                    guard let container = open.last else { return true }
                    skipWhitespace()
                    guard let next = peek() else { return false }
                    let close = container == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                    if next == close {
                        index += 1
                        open.removeLast()
                        continue
                    }
                    guard next == UInt8(ascii: ",") else { return false }
                    index += 1
                    expectsKey = container == UInt8(ascii: "{")
                    if expectsKey {
                        skipWhitespace()
                        guard peek() == UInt8(ascii: "\"") else { return false }
                    }
                    break
                }
                if open.isEmpty { return true }
            }
        }

        /// A string, from its opening quote past its closing one; an escape skips the byte after the
        /// backslash (`\u` digits are plain bytes); a raw control character is refused, as the parser does.
        private mutating func skipString() -> Bool {
            guard peek() == UInt8(ascii: "\"") else { return false }
            // A local cursor, so that the loop keeps it in a register.
            var at = index + 1
            let end = bytes.count
            while at < end {
                let byte = bytes[at]
                if byte == UInt8(ascii: "\"") {
                    index = at + 1
                    return true
                }
                if byte == UInt8(ascii: "\\") {
                    at += 2
                } else if byte < 0x20 {
                    return false
                } else {
                    at += 1
                }
            }
            return false
        }

        /// A number or literal: a run of the characters they are made of, at least one.
        private mutating func skipToken() -> Bool {
            let start = index
            var at = index
            defer { index = at }
            while at < bytes.count {
                switch bytes[at] {
                case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                     UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "a")...UInt8(ascii: "z"):
                    at += 1
                default:
                    return at > start
                }
            }
            return at > start
        }
    }
}
