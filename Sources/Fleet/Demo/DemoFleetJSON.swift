import JSON

/// Byte-level JSON writing for the demo fleet's hot records, with exactly ``JSONSerializer``'s output
/// (strings and integers go through ``JSONSerializer`` itself).
///
/// Building a `JSONObject` per resource, only to serialize it at once, costs more than generating
/// the resource: its keys are inserted one by one and objects past twelve keys build a hash index.
/// The file writers therefore write the three bulk record kinds (resources, recovery points,
/// metric samples) straight from their typed form through these helpers. The rules are
/// ``JSONSerializer``'s — escape `"`, `\` and control characters (`\n`, `\r`, `\t`, else `\u00xx`),
/// pass everything else through, doubles in Swift's shortest form — and a test holds the two paths
/// byte-identical.
enum DemoFleetJSON {
    /// Appends `,"key":` (or `"key":` when `first`); keys are plain ASCII names that need no escaping.
    static func appendKey(_ key: StaticString, first: Bool = false, to output: inout [UInt8]) {
        if !first { output.append(UInt8(ascii: ",")) }
        output.append(UInt8(ascii: "\""))
        output.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
        output.append(UInt8(ascii: "\""))
        output.append(UInt8(ascii: ":"))
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
            JSONSerializer.appendString(string, to: &output)
        }
        output.append(UInt8(ascii: "]"))
    }
}
