import Foundation
import JSON
import JSONRPC
import Synchronization
import Testing

/// A value serialized once and spliced into a tree must write exactly the bytes the tree would have.
struct SerializedJSONTests {
    /// Values whose text needs escaping at every level: quotes, backslashes, control bytes, non-ASCII.
    static let values: [JSONValue] = [
        .null, true, 0, -42, 2.5, "plain", "",
        "quote \" backslash \\ slash / newline \n cr \r tab \t nul \u{00} esc \u{1B} del \u{7F} é☃😀 \u{2028}",
        [],
        [:],
        ["a\"\n": ["nested": [1, "x\\y", ["k": .null]]], "b": [.double(0.1), .integer(.min), "{\"not\":\"json\"}"]],
    ]

    @Test(arguments: values)
    func writesTheBytesOfItsValue(_ value: JSONValue) throws {
        let serialized = SerializedJSON(value)

        #expect(serialized.bytes == JSONSerializer.bytes(value))
        #expect(JSONSerializer.bytes(.serialized(serialized)) == JSONSerializer.bytes(value))
        #expect(try JSONParser.parse(serialized.bytes) == value)
    }

    @Test(arguments: values)
    func itsTextIsTheStringOfItsJSONEscapedOnce(_ value: JSONValue) throws {
        // Given the text block a result used to carry: the value's JSON text as a string value
        let string = JSONValue.string(JSONSerializer.string(value))

        // When the text is made from the serialized bytes instead
        let text = SerializedJSON(value).text

        // Then it is the same string, written the same way, into a tree or on its own
        #expect(text.value == string)
        #expect(text.bytes == JSONSerializer.bytes(string))
        #expect(JSONSerializer.bytes(.serialized(text)) == JSONSerializer.bytes(string))
        #expect(JSONSerializer.bytes([.serialized(text), "x"]) == JSONSerializer.bytes([string, "x"]))
        #expect(try JSONParser.parse(text.bytes) == string)
        // And the text of the text is the string of that string
        #expect(text.text.value == .string(JSONSerializer.string(string)))
    }

    @Test(arguments: values)
    func escapingItsTextWritesWhatTheArrayWriterWrites(_ value: JSONValue) {
        // The sink escapes byte by byte, the array writer copies runs: the same escapes either way.
        let text = JSONSerializer.string(value)
        var expected: [UInt8] = []
        JSONSerializer.appendString(text, to: &expected)
        #expect(JSONSerializer.bytes(.serialized(SerializedJSON(value).text)) == expected)
    }

    @Test(arguments: values)
    func aSplicedTreeWritesTheSameLineAsThePlainTree(_ value: JSONValue) {
        // Given a CallToolResult built the plain way and the spliced way
        let plain: JSONValue = ["content": [["type": "text", "text": .string(value.description)]], "structuredContent": value]
        let serialized = SerializedJSON(value)
        let spliced: JSONValue = ["content": [["type": "text", "text": .serialized(serialized.text)]], "structuredContent": .serialized(serialized)]

        // Then every way of writing it, whole message lines included, gives the same bytes
        let response = Message.response(.result(.integer(7), spliced))
        #expect(JSONSerializer.bytes(spliced) == JSONSerializer.bytes(plain))
        #expect(JSONSerializer.line(response.jsonValue) == JSONSerializer.line(Message.response(.result(.integer(7), plain)).jsonValue))
        #expect(JSONSerializer.pretty(spliced) == JSONSerializer.pretty(plain))
        #expect(spliced.description == plain.description)
    }

    @Test func readsComparesAndHashesAsItsValue() {
        let value: JSONValue = ["id": "vm/1", "cpu": 0.5, "tags": ["a"], "on": true, "n": 3, "gone": nil]
        let node = JSONValue.serialized(SerializedJSON(value))

        #expect(node == value)
        #expect(value == node)
        #expect(node.hashValue == value.hashValue)
        #expect(Set([node, value]).count == 1)
        #expect(node.isEquivalent(to: value))
        #expect(node.plain == value)
        #expect(node.typeName == "object")
        #expect(node["id"]?.stringValue == "vm/1")
        #expect(node["cpu"]?.doubleValue == 0.5)
        #expect(node["n"]?.integerValue == 3)
        #expect(node["on"]?.boolValue == true)
        #expect(node["tags"]?.arrayValue == ["a"])
        #expect(node["gone"]?.isNull == true)
        #expect(node.objectValue?.count == 6)
        #expect(node != ["id": "vm/2"])
    }

    @Test func aKeyHoldingASerializedValueReadsAsTheValue() {
        // Given an object one of whose values was serialized
        var object = JSONObject()
        object["structuredContent"] = .serialized(SerializedJSON(["count": 2]))

        // Then looking it up gives the plain value, which code can switch over
        guard case .object(let structured)? = object["structuredContent"] else {
            Issue.record("expected a plain object")
            return
        }
        #expect(structured["count"] == 2)
    }

    @Test func serializingASerializedValueKeepsIt() {
        let once = SerializedJSON(["a": "b"])
        let twice = SerializedJSON(.serialized(once))
        #expect(twice.bytes == once.bytes)
        #expect(twice.value == ["a": "b"])
    }

    @Test func theWriterWritesASplicedMessageByteForByte() async throws {
        // Given a writer on a pipe, and a large result with escapes
        let rows: [JSONValue] = (0..<400).map { ["id": .string("vm/\($0)/\"q\"\n"), "cpu": .double(Double($0) / 3)] }
        let value: JSONValue = ["resources": .array(rows)]
        let serialized = SerializedJSON(value)
        let spliced: JSONValue = ["content": [["type": "text", "text": .serialized(serialized.text)]], "structuredContent": .serialized(serialized)]
        let plain: JSONValue = ["content": [["type": "text", "text": .string(value.description)]], "structuredContent": value]
        let pipe = Pipe()
        let writer = OutputWriter(fileDescriptor: pipe.fileHandleForWriting.fileDescriptor)
        let observed = ObservedLines()
        writer.observeLines { observed.append($0) }

        // When the spliced response is written
        let written = Task.detached { writer.write(.response(.result(.string("r"), spliced))) }
        let expected = JSONSerializer.line(Message.response(.result(.string("r"), plain)).jsonValue)
        let read = try pipe.fileHandleForReading.read(upToCount: expected.count)
        #expect(await written.value)

        // Then the wire and the observer get the bytes the plain tree serializes to
        #expect(read.map(Array.init) == expected)
        #expect(observed.lines == [expected])
    }
}

/// Lines seen by an ``OutputWriter`` observer.
private final class ObservedLines: Sendable {
    private let state = Mutex<[[UInt8]]>([])
    var lines: [[UInt8]] { state.withLock { $0 } }
    func append(_ line: [UInt8]) { state.withLock { $0.append(line) } }
}
