/// Writes ``JSONValue``s as compact JSON text, UTF-8.
///
/// The output never contains a raw newline (control characters inside strings
/// are escaped), so one serialized message is always one line on the wire.
/// Object keys come out in the object's insertion order. `/` is not escaped.
package enum JSONSerializer {
    /// The compact UTF-8 bytes of `value`.
    package static func bytes(_ value: JSONValue) -> [UInt8] {
        write(value) { Array($0) }
    }

    /// The compact UTF-8 bytes of `value` and a `\n`: one line of the protocol stream.
    package static func line(_ value: JSONValue) -> [UInt8] {
        write(value, terminator: UInt8(ascii: "\n")) { Array($0) }
    }

    /// The compact JSON text of `value`.
    package static func string(_ value: JSONValue) -> String {
        write(value) { String(decoding: $0, as: UTF8.self) }
    }

    /// Appends the compact UTF-8 bytes of `value` to `output`.
    package static func append(_ value: JSONValue, to output: inout [UInt8]) {
        write(value) { output.append(contentsOf: $0) }
    }

    /// Whether `bytes` are one JSON value written the way this serializer writes it: they read
    /// back, and the value serializes to the same bytes. For assertions on text written piecewise.
    static func roundTrips(_ bytes: [UInt8]) -> Bool {
        guard let value = try? JSONParser.parse(bytes) else { return false }
        return JSONSerializer.bytes(value) == bytes
    }

    /// Hands `body` the compact UTF-8 bytes of `value` and a `\n`, valid only during the call: a line
    /// written without first copying it into an array.
    package static func withLine<T>(_ value: JSONValue, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        write(value, terminator: UInt8(ascii: "\n"), body)
    }

    /// Serializes `value` into a sink and hands `body` its bytes, valid only during the call.
    private static func write<T>(_ value: JSONValue, terminator: UInt8? = nil, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        var sink = JSONByteSink(capacity: 1024)
        defer { sink.deallocate() }
        append(value, to: &sink)
        if let terminator { sink.append(terminator) }
        return body(sink.bytes)
    }

    static func append(_ value: JSONValue, to sink: inout JSONByteSink) {
        switch value {
        case .null:
            sink.append("null")
        case .bool(let flag):
            sink.append(flag ? "true" : "false")
        case .integer(let integer):
            writeInteger(integer, to: &sink)
        case .double(let double):
            writeDouble(double, to: &sink)
        case .string(let string):
            writeString(string, to: &sink)
        case .array(let elements):
            sink.append(UInt8(ascii: "["))
            var first = true
            for element in elements {
                if !first { sink.append(UInt8(ascii: ",")) }
                first = false
                append(element, to: &sink)
            }
            sink.append(UInt8(ascii: "]"))
        case .object(let object):
            sink.append(UInt8(ascii: "{"))
            var first = true
            for (key, element) in object {
                if !first { sink.append(UInt8(ascii: ",")) }
                first = false
                writeString(key, to: &sink)
                sink.append(UInt8(ascii: ":"))
                append(element, to: &sink)
            }
            sink.append(UInt8(ascii: "}"))
        case .serialized(let serialized):
            serialized.write(to: &sink)
        }
    }

    // MARK: - Scalars, into the sink or into a caller's array

    /// Finite doubles print in Swift's shortest round-tripping form, which is
    /// valid JSON; non-finite ones have no JSON form and become `null`.
    static func appendDouble(_ double: Double, to output: inout [UInt8]) {
        writeDouble(double, to: &output)
    }

    /// Appends a decimal integer without going through `String`.
    package static func appendInteger(_ value: Int64, to output: inout [UInt8]) {
        writeInteger(value, to: &output)
    }

    /// Appends `string` as a JSON string literal.
    package static func appendString(_ string: String, to output: inout [UInt8]) {
        writeString(string, to: &output)
    }

    static func writeDouble(_ double: Double, to output: inout some JSONOutput) {
        guard double.isFinite else {
            let null: StaticString = "null"
            null.withUTF8Buffer { output.append($0) }
            return
        }
        var text = double.description
        text.withUTF8 { output.append($0) }
    }

    static func writeInteger(_ value: Int64, to output: inout some JSONOutput) {
        if value < 0 { output.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for 20 digits
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[23 - count] = UInt8(truncatingIfNeeded: magnitude % 10) + UInt8(ascii: "0")
                magnitude /= 10
                count += 1
            } while magnitude > 0
            output.append(UnsafeBufferPointer(rebasing: buffer.bindMemory(to: UInt8.self)[(24 - count)...]))
        }
    }

    static func writeString(_ string: String, to output: inout some JSONOutput) {
        var string = string
        string.withUTF8 { output.appendStringLiteral($0) }
    }

    /// Whether a byte of a string is written escaped: control bytes, `"` and `\`.
    @inline(__always)
    static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    /// A string literal: runs that need no escaping are copied whole; most strings are one run.
    static func writeStringLiteral(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout some JSONOutput) {
        output.append(UInt8(ascii: "\""))
        var runStart = 0
        for index in 0..<bytes.count where needsEscape(bytes[index]) {
            output.append(UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
            writeEscape(bytes[index], to: &output)
            runStart = index + 1
        }
        output.append(UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
        output.append(UInt8(ascii: "\""))
    }

    /// The escape for a byte that ``needsEscape(_:)``.
    static func writeEscape(_ byte: UInt8, to output: inout some JSONOutput) {
        var escape: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &escape) { buffer in
            let start = buffer.bindMemory(to: UInt8.self)
            let count = writeEscape(byte, into: start.baseAddress.unsafelyUnwrapped)
            output.append(UnsafeBufferPointer(rebasing: start[0..<count]))
        }
    }

    /// Writes the escape for a byte that ``needsEscape(_:)`` at `out`, which has room for
    /// ``longestEscape`` bytes; returns how many it wrote.
    @inline(__always)
    static func writeEscape(_ byte: UInt8, into out: UnsafeMutablePointer<UInt8>) -> Int {
        out[0] = UInt8(ascii: "\\")
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): out[1] = byte
        case 0x0A: out[1] = UInt8(ascii: "n")
        case 0x0D: out[1] = UInt8(ascii: "r")
        case 0x09: out[1] = UInt8(ascii: "t")
        default:
            let digits: StaticString = "0123456789abcdef"
            out[1] = UInt8(ascii: "u")
            out[2] = UInt8(ascii: "0")
            out[3] = UInt8(ascii: "0")
            out[4] = digits.utf8Start[Int(byte >> 4)]
            out[5] = digits.utf8Start[Int(byte & 0x0F)]
            return 6
        }
        return 2
    }

    /// The most bytes one escaped byte takes: `\u001f`.
    static let longestEscape = 6
}

// MARK: - Pretty

extension JSONSerializer {
    /// Indented JSON text for people and golden files: two spaces, keys in
    /// insertion order (or sorted), a trailing newline.
    package static func pretty(_ value: JSONValue, sortedKeys: Bool = false) -> String {
        var output: [UInt8] = []
        appendPretty(value, indent: 0, sortedKeys: sortedKeys, to: &output)
        output.append(UInt8(ascii: "\n"))
        return String(decoding: output, as: UTF8.self)
    }

    private static func appendPretty(_ value: JSONValue, indent: Int, sortedKeys: Bool, to output: inout [UInt8]) {
        func newline(_ level: Int) {
            output.append(UInt8(ascii: "\n"))
            output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: level * 2))
        }
        switch value {
        case .array(let elements) where !elements.isEmpty:
            output.append(UInt8(ascii: "["))
            for (offset, element) in elements.enumerated() {
                if offset > 0 { output.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                appendPretty(element, indent: indent + 1, sortedKeys: sortedKeys, to: &output)
            }
            newline(indent)
            output.append(UInt8(ascii: "]"))
        case .object(let object) where !object.isEmpty:
            output.append(UInt8(ascii: "{"))
            let keys = sortedKeys ? object.keys.sorted() : object.keys
            for (offset, key) in keys.enumerated() {
                guard let element = object[key] else { continue }
                if offset > 0 { output.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                appendString(key, to: &output)
                output.append(contentsOf: ": ".utf8)
                appendPretty(element, indent: indent + 1, sortedKeys: sortedKeys, to: &output)
            }
            newline(indent)
            output.append(UInt8(ascii: "}"))
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .integer(let integer): appendInteger(integer, to: &output)
        case .double(let double): appendDouble(double, to: &output)
        case .string(let string): appendString(string, to: &output)
        case .array, .object: append(value, to: &output)  // empty: [] or {}
        case .serialized(let serialized): appendPretty(serialized.value, indent: indent, sortedKeys: sortedKeys, to: &output)
        }
    }
}
