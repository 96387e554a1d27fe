import JSON
import Testing

/// Members spliced into a serialized object read back as the object with those members added.
@Suite struct SerializedJSONTests {
    @Test(arguments: [
        (JSONValue.object(["a": 1]), "{\"a\":1,\"stale\":true,\"note\":\"x\\\"y\"}"),
        (JSONValue.object([:]), "{\"stale\":true,\"note\":\"x\\\"y\"}"),
    ])
    func membersAreSplicedIntoAnObject(_ value: JSONValue, _ expected: String) throws {
        let serialized = try #require(SerializedJSON(value).appending([("stale", true), ("note", "x\"y")]))
        #expect(String(decoding: serialized.bytes, as: UTF8.self) == expected)
        #expect(serialized.value["stale"] == true)
        #expect(serialized.value["note"] == "x\"y")
    }

    @Test func aValueThatIsNotAnObjectTakesNoMembers() {
        #expect(SerializedJSON(.array([1])).appending([("stale", true)]) == nil)
        #expect(SerializedJSON(.string("{")).appending([("stale", true)]) == nil)
    }
}
