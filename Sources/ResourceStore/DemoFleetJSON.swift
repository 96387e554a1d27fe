import JSONRPC

/// Byte-level JSON writing for the demo fleet's hot records, with exactly ``JSONSerializer``'s output.
///
/// Building a `JSONObject` per resource, only to serialize it at once, costs more than generating
/// the resource: its keys are inserted one by one and objects past twelve keys build a hash index.
/// The file writers therefore write the three bulk record kinds (resources, recovery points,
/// metric samples) straight from their typed form through these helpers. The rules are
/// ``JSONSerializer``'s — escape `"`, `\` and control characters (`\n`, `\r`, `\t`, else `\u00xx`),
/// pass everything else through, doubles in Swift's shortest form — and a test holds the two paths
/// byte-identical.
enum DemoFleetJSON {
    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Appends `string` as a JSON string literal.
    static func appendString(_ string: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { bytes in
            var runStart = 0
            for index in 0..<bytes.count {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                output.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): output.append(byte)
                case 0x0A: output.append(UInt8(ascii: "n"))
                case 0x0D: output.append(UInt8(ascii: "r"))
                case 0x09: output.append(UInt8(ascii: "t"))
                default:
                    output.append(contentsOf: "u00".utf8)
                    output.append(hexDigits[Int(byte >> 4)])
                    output.append(hexDigits[Int(byte & 0x0F)])
                }
                runStart = index + 1
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
        }
        output.append(UInt8(ascii: "\""))
    }

    /// Appends `,"key":` (or `"key":` when `first`); keys are plain ASCII names that need no escaping.
    static func appendKey(_ key: StaticString, first: Bool = false, to output: inout [UInt8]) {
        if !first { output.append(UInt8(ascii: ",")) }
        output.append(UInt8(ascii: "\""))
        output.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
        output.append(UInt8(ascii: "\""))
        output.append(UInt8(ascii: ":"))
    }

    /// Appends a decimal integer without going through `String`.
    static func appendInteger(_ value: Int64, to output: inout [UInt8]) {
        guard value != 0 else {
            output.append(UInt8(ascii: "0"))
            return
        }
        if value < 0 { output.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for 20 digits
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            while magnitude > 0 {
                buffer[23 - count] = UInt8(truncatingIfNeeded: magnitude % 10) + UInt8(ascii: "0")
                magnitude /= 10
                count += 1
            }
            output.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[(24 - count)...]))
        }
    }

    /// Appends a number as ``JSONSerializer`` writes a `.double`.
    static func appendDouble(_ value: Double, to output: inout [UInt8]) {
        output.append(contentsOf: (value.isFinite ? value.description : "null").utf8)
    }

    /// Appends `["a","b"]`.
    static func appendStrings(_ strings: [String], to output: inout [UInt8]) {
        output.append(UInt8(ascii: "["))
        for (offset, string) in strings.enumerated() {
            if offset > 0 { output.append(UInt8(ascii: ",")) }
            appendString(string, to: &output)
        }
        output.append(UInt8(ascii: "]"))
    }
}
