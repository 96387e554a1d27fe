import JSON
import Testing

/// What a ``JSONWriter`` writes piece by piece is what the serializer writes for the same tree.
struct JSONWriterTests {
    @Test func writesWhatTheSerializerWritesForTheSameTree() throws {
        // Given a document with nesting, empty containers, escapes, every kind of number and tree values inside
        let awkward = "quote \" backslash \\ newline \n nul \u{00} esc \u{1B} é☃😀"
        let label: JSONValue = ["supported": false, "readinessStage": nil]
        var writer = JSONWriter(capacity: 8)
        writer.beginObject()
        writer.key("rows")
        writer.beginArray()
        for index in 0..<3 {
            writer.beginObject()
            writer.key("id")
            writer.string("vm/\(index)/\(awkward)")
            writer.key("cpu")
            writer.double(Double(index) / 3)
            writer.key("n")
            writer.integer(Int64(index) - 1)
            writer.key(awkward)
            writer.value(label)
            writer.endObject()
        }
        writer.endArray()
        writer.key("empty")
        writer.beginObject()
        writer.endObject()
        writer.key("none")
        writer.beginArray()
        writer.endArray()
        writer.key("odd")
        writer.beginArray()
        writer.double(.infinity)
        writer.double(1e-7)
        writer.double(-0.0)
        writer.integer(.min)
        writer.beginArray()
        writer.endArray()
        writer.string("")
        writer.endArray()
        writer.endObject()

        // When it is finished
        let written = writer.finish()

        // Then it is the serializer's text of the same tree, and reads back as that tree
        let rows: [JSONValue] = (0..<3).map { index in
            .object(JSONObject([
                ("id", .string("vm/\(index)/\(awkward)")), ("cpu", .double(Double(index) / 3)), ("n", .integer(Int64(index) - 1)), (awkward, label),
            ]))
        }
        let tree: JSONValue = [
            "rows": .array(rows), "empty": [:], "none": [],
            "odd": [.double(.infinity), .double(1e-7), .double(-0.0), .integer(.min), [], ""],
        ]
        #expect(written.bytes == JSONSerializer.bytes(tree))
        #expect(JSONSerializer.bytes(.serialized(written)) == JSONSerializer.bytes(tree))
        #expect(try JSONParser.parse(written.bytes) == written.value)
        #expect(written.value["rows"]?.arrayValue?.count == 3)
        #expect(written.text.value == .string(JSONSerializer.string(tree)))
    }

    @Test func aScalarAloneIsADocument() {
        var writer = JSONWriter()
        writer.string("just this")
        #expect(writer.finish().bytes == Array("\"just this\"".utf8))
    }

    @Test func aWrittenValueSplicedIntoATreeWritesItsBytes() {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("id")
        writer.string("vm/1")
        writer.endObject()
        let row = JSONValue.serialized(writer.finish())

        let page: JSONValue = ["resources": [row, row], "nextCursor": "c"]
        #expect(JSONSerializer.string(page) == #"{"resources":[{"id":"vm/1"},{"id":"vm/1"}],"nextCursor":"c"}"#)
        #expect(page["resources"]?.arrayValue?.first?["id"] == "vm/1")
        #expect(page == ["resources": [["id": "vm/1"], ["id": "vm/1"]], "nextCursor": "c"])
    }
}
