import AssistantTools
import JSON
import Testing

@Suite("Schema validator")
struct SchemaValidatorTests {
    static let schema: JSONValue = [
        "type": "object",
        "properties": [
            "name": ["type": "string", "minLength": 1, "maxLength": 5, "pattern": "^[a-z]*$"],
            "size": ["type": "integer", "minimum": 1, "maximum": 500],
            "ratio": ["type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1],
            "kind": ["type": "string", "enum": ["vm", "pod"]],
            "tags": ["type": "array", "items": ["type": "string"], "minItems": 1, "maxItems": 2, "uniqueItems": true],
            "flag": ["type": "boolean", "const": true],
            "either": ["anyOf": [["type": "string"], ["type": "integer"]]],
            "nested": ["type": "object", "properties": ["deep": ["type": "string"]], "required": ["deep"], "additionalProperties": false],
        ],
        "required": ["name"],
        "additionalProperties": false,
    ]

    static let validInstances: [JSONValue] = [
        ["name": "abc"],
        ["name": "a", "size": 500, "ratio": 0.5, "kind": "pod", "tags": ["x", "y"], "flag": true, "either": 3],
        ["name": "abcde", "size": 1.0, "either": "s", "nested": ["deep": "x"]],
    ]

    @Test("valid instances have no violations", arguments: validInstances)
    func valid(_ instance: JSONValue) {
        #expect(SchemaValidator.violations(of: instance, against: Self.schema).isEmpty)
    }

    static let violations: [(JSONValue, String)] = [
        (["size": 1], "`name`: is required"),
        (["name": ""], "`name`: must be at least 1 characters long, got 0"),
        (["name": "abcdef"], "`name`: must be at most 5 characters long, got 6"),
        (["name": "ABC"], "`name`: must match the pattern ^[a-z]*$"),
        (["name": "a", "size": 0], "`size`: must be at least 1, got 0"),
        (["name": "a", "size": 501], "`size`: must be at most 500, got 501"),
        (["name": "a", "size": true], "`size`: expected an integer, got boolean true"),
        (["name": "a", "ratio": 1], "`ratio`: must be less than 1, got 1"),
        (["name": "a", "ratio": 0], "`ratio`: must be greater than 0, got 0"),
        (["name": "a", "kind": "lxc"], "`kind`: \"lxc\" is not one of the allowed values: \"vm\", \"pod\""),
        (["name": "a", "tags": []], "`tags`: must have at least 1 items, got 0"),
        (["name": "a", "tags": ["a", "b", "c"]], "`tags`: must have at most 2 items, got 3"),
        (["name": "a", "tags": ["a", "a"]], "`tags`: must not repeat items"),
        (["name": "a", "tags": ["a", 2]], "`tags[1]`: expected a string, got integer 2"),
        (["name": "a", "flag": false], "`flag`: must be true"),
        (["name": "a", "either": 1.5], "`either`: does not match any of the allowed forms"),
        (["name": "a", "nested": [:]], "`nested.deep`: is required"),
        (["name": "a", "nested": ["deep": "x", "extra": 1]], "`nested.extra`: is not a known argument; known: deep"),
        (["name": "a", "bogus": nil], "`bogus`: is not a known argument; known: name, size, ratio, kind, tags, flag, either, nested"),
        (["name": nil], "`name`: expected a string, got null"),
        (["name": "a", "kind": .string(String(repeating: "x", count: 100_000))],
         "`kind`: \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…\" is not one of the allowed values: \"vm\", \"pod\""),
        (["name": "a", "tags": .array(Array(repeating: 1, count: 1_000_000))], "`tags`: must have at most 2 items, got 1000000"),
        (["name": .string(String(repeating: "A", count: 1 << 20))], "`name`: must be at most 5 characters long, got 1048576"),
    ]

    @Test("each keyword reports its violation with the path", arguments: violations)
    func violation(_ instance: JSONValue, _ expected: String) {
        let found = SchemaValidator.violations(of: instance, against: Self.schema).map(\.description)
        #expect(found == [expected])
    }

    @Test("a non-object where an object is expected is one violation at the root")
    func rootType() {
        let found = SchemaValidator.violations(of: [1], against: Self.schema).map(\.description)
        #expect(found == ["expected an object, got array"])
    }

    @Test("an array past maxItems is refused by its length alone: one violation, whatever its items")
    func arrayStopsAtMaxItems() {
        // Given a million items that would each be a violation
        let instance: JSONValue = ["name": "a", "tags": .array(Array(repeating: 1, count: 1_000_000))]
        // When it is validated
        let report = SchemaValidator.report(of: instance, against: Self.schema)
        // Then only its length is reported
        #expect(report.total == 1)
    }

    @Test("at most 20 violations are spelled out, the rest counted; every text is bounded")
    func boundedReport() {
        // Given 100 000 unknown keys, each a megabyte long on the first one
        var object: JSONObject = ["name": "a", String(repeating: "k", count: 1 << 20): 1]
        for index in 0..<100_000 {
            object["unknown\(index)"] = .integer(Int64(index))
        }
        // When they are validated
        let report = SchemaValidator.report(of: .object(object), against: Self.schema)
        // Then 20 are shown, the total is right, and the text stays small
        #expect(report.total == 100_001)
        #expect(report.shown.count == SchemaValidator.Report.limit)
        #expect(report.text.hasSuffix("; and 99981 more"))
        #expect(report.text.utf8.count < 4_000)
        #expect(report.shown.allSatisfy { $0.description.utf8.count <= 500 })
        // The known arguments are listed once, with the first unknown key.
        #expect(report.text.components(separatedBy: "known: name").count == 2)
    }
}
