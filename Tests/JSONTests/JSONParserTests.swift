import JSON
import Testing

struct JSONParserTests {
    // MARK: - Valid documents

    /// Canonical forms: what the serializer writes for what the parser reads.
    @Test(arguments: [
        "null", "true", "false", "0", "-1", "42",
        "9223372036854775807", "-9223372036854775808",
        "1.5", "-0.5", "1e+16", "5e-324", "1.7976931348623157e+308",
        "\"\"", "\"a\"", "\"tab\\tquote\\\"back\\\\slash\"", "\"\\u0000\\u001f\"", "\"é☃😀\"", "\"a/b\"",
        "[]", "{}", "[[]]", "[1,\"two\",null,true,{\"k\":[]}]",
        "{\"b\":1,\"a\":2,\"c\":{\"z\":[1.25,false]}}",
    ])
    func canonicalDocumentsRoundTrip(_ text: String) throws {
        let value = try JSONParser.parse(text)
        #expect(JSONSerializer.string(value) == text)
    }

    @Test func whitespaceBetweenTokensIsAllowed() throws {
        let value = try JSONParser.parse(" \t\r\n{ \"a\" : [ 1 , 2 ] ,\n\"b\":\"x\" }\n ")
        #expect(JSONSerializer.string(value) == "{\"a\":[1,2],\"b\":\"x\"}")
    }

    @Test(arguments: [
        ("1", JSONValue.integer(1)),
        ("0", .integer(0)),
        ("-7", .integer(-7)),
        ("9223372036854775807", .integer(.max)),
        ("-9223372036854775808", .integer(.min)),
        ("1.0", .double(1)),
        ("1e3", .double(1000)),
        ("1E-2", .double(0.01)),
        ("12.5e+1", .double(125)),
        ("-0.5", .double(-0.5)),
        ("9223372036854775808", .double(0x1p63)),
        ("-9223372036854775809", .double(-0x1p63)),
        ("123456789012345678901234567890", .double(1.2345678901234568e29)),
    ])
    func integersAndDoublesStayApart(_ text: String, expected: JSONValue) throws {
        #expect(try JSONParser.parse(text) == expected)
    }

    @Test(arguments: [
        ("\"\\ud83d\\ude00\"", "😀"),
        ("\"\\uD83D\\uDE00\"", "😀"),
        ("\"x\\ud834\\udd1ey\"", "x𝄞y"),
        ("\"\\u00e9\\u2603\"", "é☃"),
        ("\"\\b\\f\\n\\r\\t\\/\"", "\u{08}\u{0C}\n\r\t/"),
    ])
    func escapesDecode(_ text: String, expected: String) throws {
        #expect(try JSONParser.parse(text) == .string(expected))
    }

    @Test func keysKeepTheirOrder() throws {
        let object = try #require(try JSONParser.parse("{\"z\":1,\"a\":2,\"m\":3}").objectValue)
        #expect(object.keys == ["z", "a", "m"])
    }

    // MARK: - Strict rejections

    struct Rejection: Sendable, CustomTestStringConvertible {
        var name: String
        var input: [UInt8]
        var message: String

        init(_ name: String, _ text: String, _ message: String) {
            self.init(name, Array(text.utf8), message)
        }

        init(_ name: String, _ input: [UInt8], _ message: String) {
            (self.name, self.input, self.message) = (name, input, message)
        }

        var testDescription: String { name }
    }

    static let rejections: [Rejection] = [
        Rejection("trailing comma in array", "[1,]", "expected a value"),
        Rejection("trailing comma in object", "{\"a\":1,}", "expected a string key"),
        Rejection("line comment", "[1] // no", "unexpected data after the JSON value"),
        Rejection("block comment", "/* no */ 1", "unexpected character '/'"),
        Rejection("single quotes", "'a'", "unexpected character '''"),
        Rejection("NaN", "NaN", "unexpected character 'N'"),
        Rejection("Infinity", "Infinity", "unexpected character 'I'"),
        Rejection("-Infinity", "-Infinity", "invalid number"),
        Rejection("leading zero", "01", "unexpected data after the JSON value"),
        Rejection("leading zero after minus", "-01", "unexpected data after the JSON value"),
        Rejection("lone minus", "-", "invalid number"),
        Rejection("plus sign", "+1", "unexpected character '+'"),
        Rejection("trailing dot", "1.", "expected digits after '.'"),
        Rejection("leading dot", ".5", "unexpected character '.'"),
        Rejection("empty exponent", "1e", "expected digits in number exponent"),
        Rejection("number out of range", "1e400", "number out of range"),
        Rejection("unescaped control character", "\"a\u{01}b\"", "unescaped control character"),
        Rejection("unescaped newline", "\"a\nb\"", "unescaped control character"),
        Rejection("control character after an escape", "\"\\n\u{1F}\"", "unescaped control character"),
        Rejection("invalid escape", "\"a\\x\"", "invalid escape"),
        Rejection("lone high surrogate", "\"\\ud800\"", "unpaired surrogate"),
        Rejection("lone low surrogate", "\"\\udc00\"", "unpaired surrogate"),
        Rejection("high surrogate then a letter", "\"\\ud800\\u0041\"", "unpaired surrogate"),
        Rejection("truncated \\u", "\"\\u12\"", "truncated \\u escape"),
        Rejection("bad hex digit", "\"\\u12G4\"", "invalid hex digit"),
        Rejection("invalid UTF-8 C3 28", [0x22, 0xC3, 0x28, 0x22], "invalid UTF-8 in string"),
        Rejection("invalid UTF-8 FF in string", [0x22, 0xFF, 0x22], "invalid UTF-8 in string"),
        Rejection("invalid UTF-8 after an escape", [0x22, 0x5C, 0x6E, 0xFF, 0x22], "invalid UTF-8 in string"),
        Rejection("overlong UTF-8", [0x22, 0xC0, 0xAF, 0x22], "invalid UTF-8 in string"),
        Rejection("UTF-8-encoded surrogate", [0x22, 0xED, 0xA0, 0x80, 0x22], "invalid UTF-8 in string"),
        Rejection("FF outside a string", [0xFF], "unexpected character byte 0xff"),
        Rejection("non-breaking space", [0xC2, 0xA0, 0x31], "unexpected character byte 0xc2"),
        Rejection("duplicate keys", "{\"a\":1,\"a\":2}", "duplicate object key \"a\""),
        Rejection("trailing garbage", "{}x", "unexpected data after the JSON value"),
        Rejection("two values", "1 2", "unexpected data after the JSON value"),
        Rejection("empty input", "", "unexpected end of input"),
        Rejection("whitespace only", " \n\t", "unexpected end of input"),
        Rejection("unterminated string", "\"abc", "unterminated string"),
        Rejection("unterminated array", "[1", "expected ',' or ']'"),
        Rejection("missing comma", "[1 2]", "expected ',' or ']'"),
        Rejection("missing colon", "{\"a\" 1}", "expected ':'"),
        Rejection("number as key", "{1:2}", "expected a string key"),
        Rejection("truncated literal", "tru", "invalid literal"),
        Rejection("misspelt literal", "nul1", "invalid literal"),
        Rejection("capitalised literal", "True", "unexpected character 'T'"),
    ]

    @Test(arguments: rejections)
    func rejectsWithAMessage(_ rejection: Rejection) {
        let error = #expect(throws: JSONParseError.self) { try JSONParser.parse(rejection.input) }
        #expect(error?.message.contains(rejection.message) == true, "got: \(error?.description ?? "nothing")")
    }

    @Test(arguments: [("[1,]", 3), ("{\"a\":1,\"a\":2}", 7), ("[1, x]", 4), ("\"ab\\q\"", 4)])
    func errorsNameTheOffset(_ text: String, offset: Int) {
        let error = #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
        #expect(error?.offset == offset)
        #expect(error?.description.hasSuffix("at byte \(offset)") == true)
    }

    // MARK: - Depth

    @Test func nestingUpToTheMaximumDepthParses() throws {
        let depth = JSONParser.maximumDepth
        let arrays = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        #expect(JSONSerializer.string(try JSONParser.parse(arrays)) == arrays)
        let objects = String(repeating: "{\"a\":", count: depth - 1) + "{}" + String(repeating: "}", count: depth - 1)
        #expect(JSONSerializer.string(try JSONParser.parse(objects)) == objects)
    }

    @Test(arguments: [
        String(repeating: "[", count: JSONParser.maximumDepth + 1) + String(repeating: "]", count: JSONParser.maximumDepth + 1),
        String(repeating: "[", count: 10_000),
        String(repeating: "{\"a\":", count: 10_000),
        String(repeating: "[{\"a\":", count: 5_000),
    ])
    func nestingBeyondTheMaximumThrowsInsteadOfCrashing(_ text: String) {
        let error = #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
        #expect(error?.message.contains("nesting deeper than \(JSONParser.maximumDepth)") == true)
    }

    // MARK: - Fuzz

    /// A few thousand deterministic inputs: random bytes, JSON-ish token soup,
    /// and mutations of valid documents. The parser must never crash; what it
    /// accepts must serialize to one clean line that parses back to the same
    /// value; what it rejects must name an offset inside the input.
    @Test func randomInputsNeverCrash() {
        var random = SplitMix64(seed: 0x5EED_1234)
        let seeds = [
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"a\":[1,2.5,-3e2]}}",
            "[\"\\ud83d\\ude00\",\"\\n\",null,true,false,{}]",
            "{\"k\":{\"k\":{\"k\":[[[\"é\"]]]}}}",
        ].map { Array($0.utf8) }
        let alphabet = Array("{}[]:,\"\\/ud80cE.-+019trenlafs \n\t".utf8) + [0x00, 0x1F, 0x80, 0xC3, 0xED, 0xFF]
        var accepted = 0
        for round in 0..<4000 {
            var input: [UInt8]
            switch round % 3 {
            case 0:
                input = (0..<random.next(below: 48)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            case 1:
                input = (0..<random.next(below: 48)).map { _ in alphabet[random.next(below: alphabet.count)] }
            default:
                input = seeds[random.next(below: seeds.count)]
                random.mutate(&input, from: alphabet)
            }
            do {
                let value = try JSONParser.parse(input)
                accepted += 1
                let output = JSONSerializer.bytes(value)
                #expect(!output.contains { $0 < 0x20 }, "round \(round)")
                #expect(try JSONParser.parse(output) == value, "round \(round)")
            } catch {
                #expect((0...input.count).contains(error.offset), "round \(round): \(error)")
            }
        }
        // Some inputs must get through, or the loop only ever tested the first byte.
        #expect(accepted > 100)
    }
}
