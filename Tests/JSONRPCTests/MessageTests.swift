import JSON
import JSONRPC
import Testing

struct MessageTests {
    // MARK: - Decoding valid messages

    @Test(arguments: [
        (
            "{\"jsonrpc\":\"2.0\",\"id\":\"a-1\",\"method\":\"tools/list\",\"params\":{\"cursor\":\"c\"}}",
            Message.request(Request(id: .string("a-1"), method: "tools/list", params: ["cursor": "c"]))
        ),
        ("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\"}", .request(Request(id: .integer(7), method: "ping"))),
        ("{\"method\":\"m\",\"params\":[1,2],\"id\":-3,\"jsonrpc\":\"2.0\"}", .request(Request(id: .integer(-3), method: "m", params: [1, 2]))),
        ("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", .notification(Notification(method: "notifications/initialized"))),
        (
            "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":3}}",
            .notification(Notification(method: "notifications/cancelled", params: ["requestId": 3]))
        ),
        ("{\"jsonrpc\":\"2.0\",\"id\":\"pulse-1\",\"result\":{\"ok\":true}}", .response(.result(.string("pulse-1"), ["ok": true]))),
        ("{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":null}", .response(.result(.integer(2), nil))),
        (
            "{\"jsonrpc\":\"2.0\",\"id\":2,\"error\":{\"code\":-32601,\"message\":\"nope\",\"data\":{\"m\":\"x\"}}}",
            .response(.error(.integer(2), JSONRPCError(code: -32601, message: "nope", data: ["m": "x"])))
        ),
        ("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":\"bad\"}}", .response(.error(nil, JSONRPCError(code: -32700, message: "bad")))),
    ])
    func decodesValidMessages(_ text: String, expected: Message) throws {
        let message = try Message.decode(JSONParser.parse(text)).get()
        #expect(message == expected)
    }

    // MARK: - Decoding invalid messages

    struct Invalid: Sendable, CustomTestStringConvertible {
        var name: String
        var text: String
        var id: RequestID?
        var mentions: String
        var isResponse = false

        var testDescription: String { name }
    }

    static let invalid: [Invalid] = [
        Invalid(name: "batch", text: "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]", mentions: "batch"),
        Invalid(name: "empty batch", text: "[]", mentions: "batch"),
        Invalid(name: "a number", text: "42", mentions: "must be a JSON object, got integer"),
        Invalid(name: "a string", text: "\"ping\"", mentions: "must be a JSON object, got string"),
        Invalid(name: "null", text: "null", mentions: "must be a JSON object, got null"),
        Invalid(name: "missing jsonrpc", text: "{\"id\":1,\"method\":\"ping\"}", id: .integer(1), mentions: "missing \"jsonrpc\""),
        Invalid(name: "jsonrpc 1.0", text: "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"ping\"}", id: .integer(1), mentions: "must be \"2.0\""),
        Invalid(name: "jsonrpc as a number", text: "{\"jsonrpc\":2.0,\"id\":\"x\",\"method\":\"ping\"}", id: .string("x"), mentions: "must be \"2.0\""),
        Invalid(name: "null id", text: "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}", mentions: "got null"),
        Invalid(name: "bool id", text: "{\"jsonrpc\":\"2.0\",\"id\":true,\"method\":\"ping\"}", mentions: "got boolean"),
        Invalid(name: "object id", text: "{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"ping\"}", mentions: "got object"),
        Invalid(name: "array id", text: "{\"jsonrpc\":\"2.0\",\"id\":[1],\"method\":\"ping\"}", mentions: "got array"),
        Invalid(name: "double id", text: "{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"ping\"}", mentions: "got number"),
        Invalid(name: "integral double id", text: "{\"jsonrpc\":\"2.0\",\"id\":1.0,\"method\":\"ping\"}", mentions: "got number"),
        Invalid(name: "method not a string", text: "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":5}", id: .integer(1), mentions: "method must be a string"),
        Invalid(name: "params a string", text: "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":\"x\"}", id: .integer(1), mentions: "params must be an object or an array, got string"),
        Invalid(name: "params null", text: "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":null}", mentions: "got null"),
        Invalid(name: "neither method nor result", text: "{\"jsonrpc\":\"2.0\",\"id\":4}", id: .integer(4), mentions: "needs a \"method\""),
        Invalid(name: "result and error", text: "{\"jsonrpc\":\"2.0\",\"id\":4,\"result\":1,\"error\":{\"code\":1,\"message\":\"m\"}}", id: .integer(4), mentions: "not both", isResponse: true),
        Invalid(name: "result without id", text: "{\"jsonrpc\":\"2.0\",\"result\":1}", mentions: "needs the id", isResponse: true),
        Invalid(name: "result with null id", text: "{\"jsonrpc\":\"2.0\",\"id\":null,\"result\":1}", mentions: "got null", isResponse: true),
        Invalid(name: "error with bool id", text: "{\"jsonrpc\":\"2.0\",\"id\":false,\"error\":{\"code\":1,\"message\":\"m\"}}", mentions: "got boolean", isResponse: true),
        Invalid(name: "response without jsonrpc", text: "{\"id\":4,\"result\":1}", id: .integer(4), mentions: "missing \"jsonrpc\"", isResponse: true),
        Invalid(name: "error without code", text: "{\"jsonrpc\":\"2.0\",\"id\":4,\"error\":{\"message\":\"m\"}}", id: .integer(4), mentions: "integer code", isResponse: true),
    ]

    @Test(arguments: invalid)
    func rejectsInvalidMessages(_ invalid: Invalid) throws {
        let result = Message.decode(try JSONParser.parse(invalid.text))
        guard case .failure(let failure) = result else {
            Issue.record("decoded as \(result)")
            return
        }
        #expect(failure.error.code == JSONRPCError.invalidRequestCode)
        #expect(failure.error.message.contains(invalid.mentions), "got: \(failure.error.message)")
        #expect(failure.id == invalid.id)
        #expect(failure.isResponse == invalid.isResponse)
    }

    // MARK: - Encoding

    @Test func responseWritesJSONRPCThenIDThenResult() {
        let message = Message.response(.result(.integer(1), ["ok": true]))
        #expect(JSONSerializer.string(message.jsonValue) == "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"ok\":true}}")
        #expect(message.jsonValue.objectValue?.keys == ["jsonrpc", "id", "result"])
    }

    @Test func errorWithoutIDWritesIDNull() {
        let message = Message.response(.error(nil, .parseError("unexpected end of input at byte 0")))
        #expect(
            JSONSerializer.string(message.jsonValue)
                == "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":\"Parse error: unexpected end of input at byte 0\"}}"
        )
    }

    @Test func errorDataIsWrittenOnlyWhenPresent() {
        let withData = Message.response(.error(.string("r"), JSONRPCError(code: -32002, message: "Resource not found: pulse://x", data: ["uri": "pulse://x"])))
        #expect(withData.jsonValue["error"]?["data"] == ["uri": "pulse://x"])
        let withoutData = Message.response(.error(.string("r"), .methodNotFound("x")))
        #expect(withoutData.jsonValue["error"]?.objectValue?.keys == ["code", "message"])
    }

    @Test(arguments: [
        Message.request(Request(id: .string("s"), method: "tools/call", params: ["name": "t", "arguments": [:]])),
        .request(Request(id: .integer(.max), method: "ping")),
        .notification(Notification(method: "notifications/progress", params: ["progress": 0.5])),
        .notification(Notification(method: "n")),
        .response(.result(.integer(3), ["content": []])),
        .response(.error(.string("e"), JSONRPCError(code: -32602, message: "bad", data: [1]))),
        .response(.error(nil, .invalidRequest("x"))),
    ])
    func encodedMessagesDecodeToThemselves(_ message: Message) throws {
        let wire = JSONSerializer.bytes(message.jsonValue)
        #expect(try Message.decode(JSONParser.parse(wire)).get() == message)
    }

    @Test(arguments: [(JSONValue.string("a"), RequestID.string("a")), (.integer(-1), .integer(-1))])
    func requestIDsRoundTrip(_ value: JSONValue, id: RequestID) throws {
        #expect(try #require(RequestID(value)) == id)
        #expect(id.jsonValue == value)
    }

    @Test(arguments: [JSONValue.null, true, .double(1), [1], ["a": 1]])
    func otherValuesAreNotIDs(_ value: JSONValue) {
        #expect(RequestID(value) == nil)
    }
}
