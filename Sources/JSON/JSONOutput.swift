/// Where ``JSONSerializer`` writes bytes: its own ``JSONByteSink`` for whole values, or a caller's
/// `[UInt8]` for writers that build their own lines (the audit chain, the demo fleet). The scalar
/// writers are generic over it and specialized for each.
protocol JSONOutput {
    mutating func append(_ byte: UInt8)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>)
    /// Appends UTF-8 text as a JSON string literal, escaped.
    mutating func appendStringLiteral(_ text: UnsafeBufferPointer<UInt8>)
}

extension JSONOutput {
    mutating func appendStringLiteral(_ text: UnsafeBufferPointer<UInt8>) {
        JSONSerializer.writeStringLiteral(text, to: &self)
    }
}

extension JSONByteSink: JSONOutput {}

extension Array: JSONOutput where Element == UInt8 {
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        append(contentsOf: bytes)
    }
}
