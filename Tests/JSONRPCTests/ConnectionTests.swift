import JSON
import Testing

/// A real ``Connection`` over pipes, driven the way a client drives it.
///
/// Every test ends with ``ConnectionHarness/finish(within:)``: the input is
/// closed, `run()` must return, and nothing may be left on the output but
/// what the test expects.
struct ConnectionTests {
    struct BadLine: Sendable, CustomTestStringConvertible {
        var name: String
        var bytes: [UInt8]
        var code: Int64
        var id: JSONValue
        var mentions: String

        init(_ name: String, _ line: String, code: Int64, id: JSONValue = .null, mentions: String) {
            self.init(name, Array(line.utf8), code: code, id: id, mentions: mentions)
        }

        init(_ name: String, _ bytes: [UInt8], code: Int64, id: JSONValue = .null, mentions: String) {
            (self.name, self.bytes, self.code, self.id, self.mentions) = (name, bytes, code, id, mentions)
        }

        var testDescription: String { name }
    }

    static let badLines: [BadLine] = [
        BadLine("parse error", #"{"jsonrpc":"2.0","id":1,"#, code: -32700, mentions: "Parse error"),
        BadLine("not JSON at all", "hello", code: -32700, mentions: "unexpected character 'h'"),
        BadLine("invalid UTF-8", Array(#"{"jsonrpc":"2.0","id":1,"method":"e"#.utf8) + [0xFF] + Array(#"cho"}"#.utf8), code: -32700, mentions: "invalid UTF-8"),
        BadLine("batch", #"[{"jsonrpc":"2.0","id":1,"method":"echo"}]"#, code: -32600, mentions: "batch"),
        BadLine("a number", "42", code: -32600, mentions: "must be a JSON object"),
        BadLine("id null", #"{"jsonrpc":"2.0","id":null,"method":"echo"}"#, code: -32600, mentions: "got null"),
        BadLine("bool id", #"{"jsonrpc":"2.0","id":true,"method":"echo"}"#, code: -32600, mentions: "got boolean"),
        BadLine("double id", #"{"jsonrpc":"2.0","id":1.5,"method":"echo"}"#, code: -32600, mentions: "got number"),
        BadLine("missing jsonrpc", #"{"id":7,"method":"echo"}"#, code: -32600, id: 7, mentions: "jsonrpc"),
        BadLine("params a string", #"{"jsonrpc":"2.0","id":"p","method":"echo","params":"x"}"#, code: -32600, id: "p", mentions: "params"),
        BadLine("unknown method", #"{"jsonrpc":"2.0","id":5,"method":"nope"}"#, code: -32601, id: 5, mentions: "Method not found: nope"),
        BadLine("handler error", #"{"jsonrpc":"2.0","id":"f","method":"fail"}"#, code: -32000, id: "f", mentions: "failed on purpose"),
    ]

    @Test(arguments: badLines)
    func badLineIsAnsweredAndTheNextOneServed(_ bad: BadLine) async throws {
        // Given a connection
        let harness = try ConnectionHarness()
        // When a bad line is followed by a good request
        harness.send(bytes: bad.bytes + [0x0A])
        harness.send(#"{"jsonrpc":"2.0","id":2,"method":"echo","params":{"x":1}}"#)
        // Then the bad line gets its error, with the id it could read
        let error = try await harness.nextMessage()
        #expect(error["jsonrpc"] == "2.0")
        #expect(error.errorCode == bad.code)
        #expect(error["id"] == bad.id)
        #expect(error.errorMessage.contains(bad.mentions), "got: \(error.errorMessage)")
        // And the connection is still usable
        let answer = try await harness.nextMessage()
        #expect(answer["id"] == 2)
        #expect(answer["result"] == ["x": 1])
        #expect(try await harness.finish().isEmpty)
    }

    @Test func echoAnswersWithTheRequestIDUnchanged() async throws {
        let harness = try ConnectionHarness()
        harness.send(#"{"jsonrpc":"2.0","id":"s-1","method":"echo","params":[1,"two"]}"#)
        harness.send(#"{"jsonrpc":"2.0","id":-9007199254740993,"method":"echo"}"#)
        let first = try await harness.nextMessage()
        #expect(JSONSerializer.string(first) == #"{"jsonrpc":"2.0","id":"s-1","result":[1,"two"]}"#)
        let second = try await harness.nextMessage()
        #expect(second["id"] == .integer(-9_007_199_254_740_993))
        #expect(second["result"] == .null)
        #expect(try await harness.finish().isEmpty)
    }

    @Test func notificationsGetNoResponse() async throws {
        let harness = try ConnectionHarness()
        harness.send(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
        harness.send(#"{"jsonrpc":"2.0","method":"notifications/unknown","params":{"a":1}}"#)
        harness.send(#"{"jsonrpc":"2.0","id":1,"method":"echo"}"#)
        // The first line out is the request's answer: the notifications were not answered.
        #expect(try await harness.nextMessage()["id"] == 1)
        #expect(try await harness.finish().isEmpty)
        #expect(harness.handler.notifications == ["notifications/initialized", "notifications/unknown"])
    }

    @Test func responsesFromTheClientAreNeverAnswered() async throws {
        let harness = try ConnectionHarness()
        // An error about one of our lines, a response to no request of ours, a malformed response.
        harness.send(#"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}"#)
        harness.send(#"{"jsonrpc":"2.0","id":"pulse-99","result":{}}"#)
        harness.send(#"{"jsonrpc":"2.0","id":true,"result":{}}"#)
        harness.send(#"{"jsonrpc":"2.0","id":1,"method":"echo"}"#)
        #expect(try await harness.nextMessage()["id"] == 1)
        #expect(try await harness.finish().isEmpty)
    }

    @Test func overlongLineIsAnsweredAndSkipped() async throws {
        // Given a small line limit and reads smaller than the line
        let harness = try ConnectionHarness(options: .init(maximumLineLength: 1024, readChunkSize: 256))
        let padding = String(repeating: "x", count: 5000)
        // When an over-long request, then one exactly at the limit, then a short one arrive
        harness.send(#"{"jsonrpc":"2.0","id":1,"method":"echo","params":{"p":"\#(padding)"}}"#)
        let prefix = #"{"jsonrpc":"2.0","id":2,"method":"echo","params":{"p":""#
        let atLimit = prefix + String(repeating: "y", count: 1024 - prefix.utf8.count - 3) + #""}}"#
        #expect(atLimit.utf8.count == 1024)
        harness.send(atLimit)
        harness.send(#"{"jsonrpc":"2.0","id":3,"method":"echo"}"#)
        // Then the long line gets -32600 with id null, and the others are served
        let error = try await harness.nextMessage()
        #expect(error.errorCode == -32600)
        #expect(error["id"] == .null)
        #expect(error.errorMessage.contains("exceeds the limit of 1024 bytes"), "got: \(error.errorMessage)")
        #expect(try await harness.nextMessage()["id"] == 2)
        #expect(try await harness.nextMessage()["id"] == 3)
        #expect(try await harness.finish().isEmpty)
    }

    @Test func requestThenEndOfInputIsStillAnswered() async throws {
        // Given requests written and the input closed at once
        let harness = try ConnectionHarness()
        harness.send(#"{"jsonrpc":"2.0","id":1,"method":"echo","params":{"a":1}}"#)
        harness.send(#"{"jsonrpc":"2.0","id":2,"method":"slow","params":{"ms":30}}"#)
        harness.send(bytes: Array(#"{"jsonrpc":"2.0","id":3,"method":"echo"}"#.utf8))
        // When run() drains, then returns
        let messages = try await harness.finish()
        // Then every request was answered, the unterminated last line too
        #expect(Set(messages.compactMap { $0["id"] }) == [1, 2, 3])
        #expect(messages.count == 3)
        #expect(messages.allSatisfy { $0["error"] == nil })
    }
}
