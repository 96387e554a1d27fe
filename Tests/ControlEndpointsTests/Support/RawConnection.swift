@testable import ControlEndpoints
import JSON

/// A client that sends any line and reads raw answers: for what a well-behaved client never sends.
struct RawConnection {
    let socket: LineSocket

    init(_ address: EndpointAddress) throws {
        socket = try LineSocket.connect(to: address, deadline: .after(.seconds(5)))
    }

    func send(_ line: String) {
        _ = socket.sendBytes(Array((line + "\n").utf8), deadline: .after(.seconds(5)))
    }

    func send(_ value: JSONValue) {
        send(JSONSerializer.string(value))
    }

    /// The next answer as JSON, or nil when the connection closed or nothing came within the time.
    func receive(within duration: Duration = .seconds(5)) throws -> JSONValue? {
        guard case .line(let bytes) = socket.readLine(deadline: .after(duration)) else { return nil }
        return try JSONParser.parse(bytes)
    }

    /// Sends a request and returns the answer.
    func call(_ id: Int, _ method: String, _ params: JSONValue? = nil) throws -> JSONValue? {
        var message: JSONObject = ["jsonrpc": "2.0", "id": JSONValue(id), "method": .string(method)]
        message.setIfPresent("params", params)
        send(.object(message))
        return try receive()
    }

    func hello(_ token: String = Sandbox.token) throws -> JSONValue? {
        try call(1, "hello", ["token": .string(token)])
    }
}
