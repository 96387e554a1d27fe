import JSON
import Testing

struct JSONSerializerTests {
    // MARK: - Strings

    @Test(arguments: [
        ("plain", "\"plain\""),
        ("a\"b", "\"a\\\"b\""),
        ("a\\b", "\"a\\\\b\""),
        ("line\nbreak", "\"line\\nbreak\""),
        ("cr\rhere", "\"cr\\rhere\""),
        ("tab\there", "\"tab\\there\""),
        ("\u{00}", "\"\\u0000\""),
        ("\u{01}", "\"\\u0001\""),
        ("\u{08}\u{0C}", "\"\\u0008\\u000c\""),
        ("\u{1B}[0m", "\"\\u001b[0m\""),
        ("\u{1F}", "\"\\u001f\""),
        ("\u{7F}", "\"\u{7F}\""),
        ("a/b", "\"a/b\""),
        ("é☃😀", "\"é☃😀\""),
        ("\u{2028}", "\"\u{2028}\""),
    ])
    func escapesStrings(_ string: String, expected: String) throws {
        #expect(JSONSerializer.string(.string(string)) == expected)
        // And the escape reads back as the same string.
        #expect(try JSONParser.parse(expected) == .string(string))
    }

    @Test func theSinkAndTheArrayWriterEscapeEveryByteAlike() {
        // Given every ASCII byte, alone, in runs, at the edges, and a text longer than the sink's first buffer
        let everyASCII = String(decoding: (0..<0x80).map { UInt8($0) }, as: UTF8.self)
        let texts = [everyASCII, "\"" + everyASCII + "\\", String(repeating: "\"a\\\n\u{01}é", count: 2000), "", "\u{00}"]
        for text in texts {
            // When it is written into the sink and into an array
            var expected: [UInt8] = []
            JSONSerializer.appendString(text, to: &expected)
            // Then the bytes are the same
            #expect(JSONSerializer.bytes(.string(text)) == expected)
            #expect(JSONSerializer.bytes(.object([text: .string(text)])) == [UInt8(ascii: "{")] + expected + [UInt8(ascii: ":")] + expected + [UInt8(ascii: "}")])
        }
    }

    @Test func keysAreEscapedLikeValues() {
        let value: JSONValue = ["a\"\n": "x"]
        #expect(JSONSerializer.string(value) == "{\"a\\\"\\n\":\"x\"}")
    }

    @Test func outputNeverContainsARawNewlineOrControlByte() throws {
        // Given every ASCII character, in keys, values and nested containers
        let everyASCII = String(decoding: (0..<0x80).map { UInt8($0) }, as: UTF8.self)
        let value: JSONValue = [
            everyASCII: .string(everyASCII),
            "nested": [.string("\n\r\n"), ["\n": .string("\u{0B}\u{0C}")]],
        ]
        // When it is serialized
        let bytes = JSONSerializer.bytes(value)
        // Then it is one line, free of control bytes, and reads back the same
        #expect(!bytes.contains(0x0A))
        #expect(!bytes.contains { $0 < 0x20 })
        #expect(try JSONParser.parse(bytes) == value)
    }

    // MARK: - Containers

    @Test func keysComeOutInInsertionOrder() {
        var object: JSONObject = ["z": 1, "a": 2, "m": 3]
        #expect(JSONSerializer.string(.object(object)) == "{\"z\":1,\"a\":2,\"m\":3}")

        // Replacing a value keeps its place; a removed key re-added goes last.
        object["a"] = "two"
        #expect(JSONSerializer.string(.object(object)) == "{\"z\":1,\"a\":\"two\",\"m\":3}")
        object["z"] = nil
        object["z"] = true
        #expect(JSONSerializer.string(.object(object)) == "{\"a\":\"two\",\"m\":3,\"z\":true}")
    }

    @Test(arguments: [
        (JSONValue.null, "null"),
        (true, "true"),
        (false, "false"),
        (.integer(.max), "9223372036854775807"),
        (.integer(.min), "-9223372036854775808"),
        (.array([]), "[]"),
        (.object([:]), "{}"),
        (.array([1, .array([2, .array([3])]), .object(["k": .object([:])])]), "[1,[2,[3]],{\"k\":{}}]"),
    ])
    func writesCompactJSON(_ value: JSONValue, expected: String) {
        #expect(JSONSerializer.string(value) == expected)
        #expect(value.description == expected)
    }

    // MARK: - Doubles

    @Test(arguments: [
        0.1, -0.5, 1.0, 100.0, 1e16, 1e-7, 123_456.789, 2.5e-300, .leastNonzeroMagnitude,
        Double.greatestFiniteMagnitude, -Double.greatestFiniteMagnitude, Double.pi, 1.0 / 3.0,
    ])
    func doublesParseBackToTheSameValue(_ double: Double) throws {
        let text = JSONSerializer.string(.double(double))
        // The strict parser is the grammar check: a non-JSON spelling ("1e16." or "inf") throws.
        let parsed = try JSONParser.parse(text)
        #expect(parsed == .double(double), "written as \(text)")
    }

    @Test func negativeZeroKeepsItsSign() throws {
        let parsed = try JSONParser.parse(JSONSerializer.string(.double(-0.0)))
        let double = try #require(parsed.doubleValue)
        #expect(double == 0 && double.sign == .minus)
        #expect(parsed.typeName == "number")
    }

    @Test(arguments: [Double.nan, .infinity, -.infinity])
    func nonFiniteDoublesBecomeNull(_ double: Double) {
        #expect(JSONSerializer.string(.double(double)) == "null")
        #expect(JSONSerializer.string(["x": .double(double)]) == "{\"x\":null}")
    }

    @Test func integralDoublesStayDoubles() throws {
        // 1.0 and 1 are different ids: the double must not come back as an integer.
        #expect(try JSONParser.parse(JSONSerializer.string(.double(1))) == .double(1))
        #expect(try JSONParser.parse(JSONSerializer.string(.integer(1))) == .integer(1))
    }

    @Test func appendAddsToExistingBytes() {
        var output = Array("prefix:".utf8)
        JSONSerializer.append(["a": [1, "b"]], to: &output)
        #expect(String(decoding: output, as: UTF8.self) == "prefix:{\"a\":[1,\"b\"]}")
    }
}
