import JSON
import Testing

/// ``JSONParser/parseNotingForm(_:)``: whether the parsed bytes are exactly what the serializer
/// writes (the ingest stores such a record's bytes as they stand), and the duplicate-key check of
/// objects too large to scan.
struct JSONParserFormTests {
    // MARK: - Serialized form

    @Test(arguments: [
        "null", "true", "0", "-1", "9223372036854775807", "-9223372036854775808", "1.5", "-0.5", "-0.0",
        "1e+16", "5e-324", "0.605", "\"\"", "\"é☃😀\"", "\"a/b\"", "\"del\u{7F}\"", "[]", "{}",
        "[1,\"two\",null,true,{\"k\":[]}]", "{\"b\":1,\"a\":2,\"c\":{\"z\":[1.25,false]}}",
    ])
    func serializedTextIsNoted(_ text: String) throws {
        var scratch = JSONParser.Scratch()
        let (value, isSerializedForm) = try JSONParser.parseNotingForm(Array(text.utf8), scratch: &scratch)
        #expect(isSerializedForm)
        #expect(JSONSerializer.string(value) == text)
    }

    /// Each differs from what the serializer writes for its value, by one token.
    @Test(arguments: [
        " 1", "1 ", "[1, 2]", "{\"a\" :1}", "{\"a\":1}\n", "-0", "1.50", "1e3", "1E+16", "0.5e0", "5e-1",
        "12345678901234567890", "\"a\\/b\"", "\"\\u0041\"", "{\"\\u0061\":1}",
        "[1,{\"a\":[true, false]}]",
    ])
    func otherTextIsNotNoted(_ text: String) throws {
        var scratch = JSONParser.Scratch()
        let (value, isSerializedForm) = try JSONParser.parseNotingForm(Array(text.utf8), scratch: &scratch)
        #expect(!isSerializedForm)
        #expect(JSONSerializer.string(value) != text)
        #expect(try JSONParser.parse(text) == value)
    }

    /// A string with any escape is not noted, even one the serializer writes the same way: the
    /// parser would have to compare every escape with the serializer's, for records that seldom have one.
    @Test(arguments: ["\"tab\\t\"", "\"\\\"\"", "{\"a\\nb\":1}"])
    func anyEscapeIsNotNoted(_ text: String) throws {
        var scratch = JSONParser.Scratch()
        let (value, isSerializedForm) = try JSONParser.parseNotingForm(Array(text.utf8), scratch: &scratch)
        #expect(!isSerializedForm)
        #expect(JSONSerializer.string(value) == text)
    }

    /// Whatever the parser notes as serialized form, the serializer writes back byte for byte,
    /// over a few thousand mutations of documents in both forms; one scratch serves every parse,
    /// the failed ones (which stop midway through containers) included, and changes no value.
    @Test func notedFormAlwaysRoundTrips() throws {
        var scratch = JSONParser.Scratch()
        var random = SplitMix64(seed: 0xF0F0_1234)
        let seeds = [
            "{\"resource\":{\"id\":\"vm/a\",\"tags\":[\"x\",\"y\"],\"metrics\":{\"cpu\":0.25,\"memoryUsed\":10}}}",
            "{\"a\": [1, 2.50, -0, 1e2], \"b\": \"x\\u0041\\/\", \"c\": {\"d\": null}}",
        ].map { Array($0.utf8) }
        let alphabet = Array("{}[]:,\"\\/u0041eE.-+0159trnlfas \n".utf8)
        var noted = 0
        for round in 0..<4000 {
            var input = seeds[round % seeds.count]
            random.mutate(&input, from: alphabet)
            guard let (value, isSerializedForm) = try? JSONParser.parseNotingForm(input, scratch: &scratch) else {
                #expect(throws: JSONParseError.self, "round \(round)") { try JSONParser.parse(input) }
                continue
            }
            #expect(try JSONParser.parse(input) == value, "round \(round)")
            if isSerializedForm {
                noted += 1
                #expect(JSONSerializer.bytes(value) == input, "round \(round): \(String(decoding: input, as: UTF8.self))")
            }
        }
        #expect(noted > 100)
    }

    // MARK: - Duplicate keys

    /// Keys alike in length, first and last byte are still told apart; a repeat is found whether
    /// the object is scanned (up to 16 keys) or checked through a set (beyond).
    @Test(arguments: [4, 16, 17, 40])
    func duplicatesAreFoundAtAnySize(keys count: Int) throws {
        let keys = (0..<count).map { "k\($0 % 10)\($0 / 10)z" }
        let members = keys.enumerated().map { "\"\($1)\":\($0)" }
        let object = try #require(try JSONParser.parse("{" + members.joined(separator: ",") + "}").objectValue)
        #expect(object.keys == keys)
        for (position, key) in keys.enumerated() {
            #expect(object[key] == .integer(Int64(position)))
        }
        for repeated in [keys[0], keys[count / 2], keys[count - 1]] {
            let text = "{" + (members + ["\"\(repeated)\":null"]).joined(separator: ",") + "}"
            let error = #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
            #expect(error?.message == "duplicate object key \"\(repeated)\"")
            #expect(error?.offset == text.utf8.count - repeated.utf8.count - 8)
        }
    }

    @Test func aKeyEscapedDifferentlyIsStillTheSameKey() {
        let error = #expect(throws: JSONParseError.self) { try JSONParser.parse("{\"ab\":1,\"a\\u0062\":2}") }
        #expect(error?.message == "duplicate object key \"ab\"")
    }
}
