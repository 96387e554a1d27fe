/// A JSON value and its compact text, serialized once.
///
/// A tool's result goes out twice in one `CallToolResult`: as `structuredContent` and, as a
/// string, in the text block. Serialized once, the same bytes are spliced into both places:
///
/// ```
/// {"content":[{"type":"text","text":"{\"id\":\"vm/1\"}"}],"structuredContent":{"id":"vm/1"}}
///                                    ^ text: the bytes, escaped  ^ the bytes, verbatim
/// ```
///
/// Held in a tree as ``JSONValue/serialized(_:)``, it stands for ``value`` everywhere (accessors,
/// `==`, hashing, pretty printing), while ``JSONSerializer`` copies the bytes instead of walking
/// the value again. What is written is always exactly what the serializer writes for ``value``:
/// the only ways to make one are to serialize a value here, to take the ``text`` of one, or to
/// finish a ``JSONWriter`` (whose tree is then read back from its text, only when asked for).
package struct SerializedJSON: Sendable, Hashable {
    private let form: Form

    private enum Form: Sendable {
        /// Whether the text is an object's: the first byte says.
        var kind: Kind {
            switch self {
            case .json(_, let bytes), .written(let bytes): bytes.first == UInt8(ascii: "{") ? .object : .other
            case .text: .other
            }
        }

        enum Kind { case object, other }

        /// A value and its compact text.
        case json(JSONValue, [UInt8])
        /// The string whose characters are this (valid UTF-8) JSON text: written as a string
        /// literal escaped straight from the bytes, made into a `String` only when read.
        case text([UInt8])
        /// Text a ``JSONWriter`` wrote, in the serializer's form: its tree is read back when asked for.
        case written([UInt8])
    }

    /// Serializes `value`; a value that is already serialized is kept as it is.
    package init(_ value: JSONValue) {
        if case .serialized(let serialized) = value {
            self = serialized
        } else {
            form = .json(value, JSONSerializer.bytes(value))
        }
    }

    private init(text: [UInt8]) {
        form = .text(text)
    }

    init(written: [UInt8]) {
        form = .written(written)
    }

    /// The value, as a tree.
    package var value: JSONValue {
        switch form {
        case .json(let value, _): value
        case .text(let text): .string(String(decoding: text, as: UTF8.self))
        // A writer's text always reads back (a debug build checks it as it finishes).
        case .written(let bytes): (try? JSONParser.parse(bytes)) ?? .null
        }
    }

    /// The compact UTF-8 text of ``value``: what the serializer writes for it.
    package var bytes: [UInt8] {
        switch form {
        case .json(_, let bytes), .written(let bytes):
            return bytes
        case .text(let text):
            var literal: [UInt8] = []
            text.withUnsafeBufferPointer { JSONSerializer.writeStringLiteral($0, to: &literal) }
            return literal
        }
    }

    /// The value's JSON text as a string value, for a text block that carries the value: made from
    /// the bytes without walking the value again, and escaped only as it is written.
    package var text: SerializedJSON {
        switch form {
        case .json(_, let bytes), .written(let bytes): SerializedJSON(text: bytes)
        case .text: SerializedJSON(text: bytes)
        }
    }

    /// This object with `members` added after its own, spliced into its text without reading the tree
    /// back; nil when it is not an object. The caller keeps the keys distinct from the object's own.
    package func appending(_ members: [(String, JSONValue)]) -> SerializedJSON? {
        guard case .object = form.kind, !members.isEmpty else { return members.isEmpty ? self : nil }
        var text = bytes
        guard text.last == UInt8(ascii: "}") else { return nil }
        text.removeLast()
        var first = text.count == 1
        for (key, value) in members {
            if !first { text.append(UInt8(ascii: ",")) }
            first = false
            JSONSerializer.appendString(key, to: &text)
            text.append(UInt8(ascii: ":"))
            JSONSerializer.append(value, to: &text)
        }
        text.append(UInt8(ascii: "}"))
        return SerializedJSON(written: text)
    }

    /// Writes what the serializer writes for ``value``.
    func write(to sink: inout JSONByteSink) {
        switch form {
        case .json(_, let bytes), .written(let bytes): bytes.withUnsafeBufferPointer { sink.append($0) }
        case .text(let text): text.withUnsafeBufferPointer { sink.appendStringLiteral($0) }
        }
    }

    /// Equal when the values are: what is written follows from the value.
    package static func == (lhs: SerializedJSON, rhs: SerializedJSON) -> Bool {
        lhs.value == rhs.value
    }

    package func hash(into hasher: inout Hasher) {
        value.hash(into: &hasher)
    }
}
