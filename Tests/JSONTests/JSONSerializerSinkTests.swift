import JSON
import Testing

/// The tree serializer writes into a growable buffer; these check what it writes past the buffer's
/// first size and at the edges of numbers, against the array-appending writers.
struct JSONSerializerSinkTests {
    @Test func aValueLargerThanTheFirstBufferIsWrittenWhole() throws {
        // Given a value of many kilobytes, with escapes spread through it
        let rows: [JSONValue] = (0..<500).map { index in
            ["id": .string("vm/pve-\(index)/\"quoted\"\n"), "cpu": .double(Double(index) / 7), "n": .integer(Int64(index) - 250)]
        }
        let value: JSONValue = ["rows": .array(rows), "text": .string(String(repeating: "a\"b\\c", count: 3000))]

        // When it is serialized every way
        let bytes = JSONSerializer.bytes(value)
        var appended: [UInt8] = [1, 2]
        JSONSerializer.append(value, to: &appended)

        // Then each form is the same text, and it reads back as the value
        #expect(bytes.count > 30_000)
        #expect(JSONSerializer.string(value) == String(decoding: bytes, as: UTF8.self))
        #expect(Array(appended.dropFirst(2)) == bytes)
        #expect(JSONSerializer.line(value) == bytes + [UInt8(ascii: "\n")])
        #expect(try JSONParser.parse(bytes) == value)
    }

    @Test(arguments: [Int64.min, -1, 0, 1, 9, 10, 1_000_000, Int64.max])
    func integersMatchTheArrayWriter(_ value: Int64) {
        var expected: [UInt8] = []
        JSONSerializer.appendInteger(value, to: &expected)
        #expect(JSONSerializer.bytes(.integer(value)) == expected)
        #expect(JSONSerializer.string(.integer(value)) == String(value))
    }

    @Test func emptyContainersAndScalarsInPrettyText() {
        let value: JSONValue = ["a": [], "b": [:], "c": .null, "d": true, "e": 1.5, "f": -3, "g": "x\"y"]
        #expect(JSONSerializer.pretty(value) == """
            {
              "a": [],
              "b": {},
              "c": null,
              "d": true,
              "e": 1.5,
              "f": -3,
              "g": "x\\"y"
            }

            """)
    }
}
