/// Writes a JSON document piece by piece, straight into bytes, without building a tree first.
///
/// For code that answers with many small objects of its own keys (a page of rows): building each
/// as a ``JSONObject``, walking it to serialize it and freeing it cost more than writing its text.
/// The text is exactly what ``JSONSerializer`` writes for the same value (same escapes, same number
/// forms, keys in the order written), so ``finish()`` returns a ``SerializedJSON`` like any other.
///
/// ```
/// var writer = JSONWriter()
/// writer.beginObject()
/// writer.key("resources"); writer.beginArray()
/// writer.beginObject(); writer.key("id"); writer.string("vm/1"); writer.endObject()
/// writer.endArray()
/// writer.endObject()
/// writer.finish()   // {"resources":[{"id":"vm/1"}]}
/// ```
///
/// Commas are the writer's: each value after the first in an object or array gets one. Keys in an
/// object must differ, and every begin must be ended: a debug build checks the finished text reads
/// back as a value that serializes to the same bytes. Not copyable: it owns its buffer.
package struct JSONWriter: ~Copyable {
    private var sink: JSONByteSink
    /// Whether the next key or array element follows a value and needs a comma.
    private var needsComma = false

    package init(capacity: Int = 1024) {
        sink = JSONByteSink(capacity: capacity)
    }

    deinit {
        sink.deallocate()
    }

    // MARK: - Containers

    package mutating func beginObject() {
        separate()
        sink.append(UInt8(ascii: "{"))
        needsComma = false
    }

    package mutating func endObject() {
        sink.append(UInt8(ascii: "}"))
        needsComma = true
    }

    package mutating func beginArray() {
        separate()
        sink.append(UInt8(ascii: "["))
        needsComma = false
    }

    package mutating func endArray() {
        sink.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// The key of the next value, in an object.
    package mutating func key(_ key: String) {
        separate()
        JSONSerializer.writeString(key, to: &sink)
        sink.append(UInt8(ascii: ":"))
        needsComma = false
    }

    // MARK: - Values

    package mutating func string(_ value: String) {
        separate()
        JSONSerializer.writeString(value, to: &sink)
        needsComma = true
    }

    /// Written as ``JSONValue/double(_:)`` is: non-finite numbers become `null`.
    package mutating func double(_ value: Double) {
        separate()
        JSONSerializer.writeDouble(value, to: &sink)
        needsComma = true
    }

    package mutating func integer(_ value: Int64) {
        separate()
        JSONSerializer.writeInteger(value, to: &sink)
        needsComma = true
    }

    /// Any value, serialized in place.
    package mutating func value(_ value: JSONValue) {
        separate()
        JSONSerializer.append(value, to: &sink)
        needsComma = true
    }

    @inline(__always)
    private mutating func separate() {
        if needsComma { sink.append(UInt8(ascii: ",")) }
    }

    // MARK: - Result

    /// The text written, as a serialized value; its tree is read back from the text when asked for.
    package consuming func finish() -> SerializedJSON {
        let bytes = Array(sink.bytes)
        assert(JSONSerializer.roundTrips(bytes), "JSONWriter wrote text that is not one canonical JSON value: \(String(decoding: bytes, as: UTF8.self))")
        return SerializedJSON(written: bytes)
    }
}
