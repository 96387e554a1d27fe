import JSON
import JSONRPC

/// One connection: hello first, then any number of `control.execute`, every bad line answered.
extension ReferenceEndpoint {
    /// Serves `socket` until the peer closes, goes idle, breaks the protocol badly, or the endpoint stops.
    func serve(_ socket: LineSocket) {
        defer { socket.close() }
        var greeted = false
        while true {
            switch socket.readLine(deadline: .after(Self.idleTimeout), stop: stopSignal) {
            case .line(let bytes):
                guard respond(to: bytes, greeted: &greeted, on: socket) else { return }
            case .oversized(let count):
                let error = JSONRPCError.invalidRequest("a line of \(count) bytes is over the \(ControlProtocol.maximumLineLength)-byte limit")
                guard reply(.error(nil, error), on: socket) else { return }
            case .closed, .timedOut, .stopped, .failed:
                return
            }
        }
    }

    /// Answers one line; false when the connection should close.
    private func respond(to line: [UInt8], greeted: inout Bool, on socket: LineSocket) -> Bool {
        let value: JSONValue
        do {
            value = try JSONParser.parse(line)
        } catch {
            return reply(.error(nil, .parseError(error.description)), on: socket)
        }
        switch Message.decode(value) {
        case .failure(let invalid):
            // A malformed response is dropped, never answered: answering could start an error ping-pong.
            return invalid.isResponse || reply(.error(invalid.id, invalid.error), on: socket)
        case .success(.notification), .success(.response):
            return true
        case .success(.request(let request)):
            return handle(request, greeted: &greeted, on: socket)
        }
    }

    private func handle(_ request: Request, greeted: inout Bool, on socket: LineSocket) -> Bool {
        switch request.method {
        case ControlProtocol.helloMethod:
            guard case .string(let offered)? = request.params?["token"] else {
                return reply(.error(request.id, .invalidParams("hello needs {\"token\": string}")), on: socket)
            }
            guard Self.sameToken(offered, token) else {
                logger.warning("rejected a hello: wrong token")
                let rejected = JSONRPCError(code: ControlProtocol.tokenRejectedCode, message: "token rejected")
                _ = reply(.error(request.id, rejected), on: socket)
                return false
            }
            greeted = true
            return reply(.result(request.id, .object([:])), on: socket)
        case ControlProtocol.executeMethod:
            guard greeted else {
                let error = JSONRPCError(code: ControlProtocol.helloRequiredCode, message: "say hello with the token before control.execute")
                return reply(.error(request.id, error), on: socket)
            }
            let action: EndpointRequest
            do {
                action = try EndpointRequest(wireParams: request.params)
            } catch {
                return reply(.error(request.id, error), on: socket)
            }
            return execute(action, id: request.id, on: socket)
        default:
            return reply(.error(request.id, .methodNotFound(request.method)), on: socket)
        }
    }

    /// Sends one response; false when the peer is gone.
    func reply(_ response: Response, on socket: LineSocket) -> Bool {
        socket.send(.response(response), deadline: .after(Self.writeTimeout), stop: stopSignal) == .sent
    }

    /// Compares tokens in time that depends on their lengths only, not on where they differ.
    static func sameToken(_ offered: String, _ expected: String) -> Bool {
        let lhs = Array(offered.utf8)
        let rhs = Array(expected.utf8)
        var difference = UInt8(lhs.count == rhs.count ? 0 : 1)
        for index in 0..<max(lhs.count, rhs.count) {
            let left = index < lhs.count ? lhs[index] : 0
            let right = index < rhs.count ? rhs[index] : 0
            difference |= left ^ right
        }
        return difference == 0
    }
}
