import JSON
import JSONRPC

/// The real ``ControlTransport``: line-delimited JSON-RPC over a Unix socket or TCP.
///
/// Each action gets its own connection: ``open(_:token:deadline:)`` connects
/// and says hello, the returned ``EndpointSession`` sends one
/// `control.execute` and closes. All socket work runs on threads of its own,
/// so a slow endpoint never holds a thread of Swift's cooperative pool.
/// The token is sent in the hello and appears in no message.
package struct EndpointClient: ControlTransport {
    /// The longest answer line accepted, in bytes.
    package var maximumLineLength: Int
    /// How long past the request's deadline to wait for the answer.
    package var answerGrace: Duration

    package init(maximumLineLength: Int = ControlProtocol.maximumLineLength, answerGrace: Duration = ControlProtocol.answerGrace) {
        self.maximumLineLength = maximumLineLength
        self.answerGrace = answerGrace
    }

    package func open(_ address: EndpointAddress, token: String, deadline: Duration) async -> Result<any ControlSession, EndpointFailure> {
        let client = self
        let opened = await BlockingThread.run(named: "endpoint \(address)") {
            client.openBlocking(address, token: token, deadline: deadline)
        }
        return opened.map { $0 }
    }

    /// Connects and says hello, blocking the calling thread for at most `deadline`.
    func openBlocking(_ address: EndpointAddress, token: String, deadline: Duration) -> Result<EndpointSession, EndpointFailure> {
        let until = Deadline.after(deadline)
        let socket: LineSocket
        do {
            socket = try LineSocket.connect(to: address, deadline: until, maximumLineLength: maximumLineLength)
        } catch {
            return .failure(.connect(address, error, deadline: deadline))
        }
        let hello = Request(id: Self.helloID, method: ControlProtocol.helloMethod, params: ["token": .string(token)])
        switch socket.send(.request(hello), deadline: until) {
        case .sent: break
        case .failed(.timedOut, _): return .failure(.helloTimedOut(address, deadline: deadline))
        case .failed(let error, _): return .failure(.hello(address, "broke the connection before taking the hello (\(error))"))
        }
        while true {
            switch socket.readLine(deadline: until) {
            case .line(let bytes):
                switch Self.helloAnswer(bytes) {
                case .accepted:
                    return .success(EndpointSession(address: address, socket: socket, answerGrace: answerGrace))
                case .pending:
                    continue
                case .tokenRejected:
                    return .failure(.tokenRejected(address))
                case .problem(let problem):
                    return .failure(.hello(address, problem.redacting(token)))
                }
            case .oversized(let count):
                return .failure(.hello(address, "answered hello with a line of \(count) bytes, over the \(maximumLineLength)-byte limit"))
            case .closed:
                return .failure(.hello(address, "closed the connection during hello"))
            case .timedOut, .stopped:
                return .failure(.helloTimedOut(address, deadline: deadline))
            case .failed(let error):
                return .failure(.hello(address, "broke the connection during hello: \(error)"))
            }
        }
    }

    static let helloID = RequestID.integer(1)
    static let executeID = RequestID.integer(2)

    private enum HelloAnswer {
        case accepted
        /// A notification: the answer is still to come.
        case pending
        case tokenRejected
        /// What was wrong, to follow the address in a sentence.
        case problem(String)
    }

    private static func helloAnswer(_ line: [UInt8]) -> HelloAnswer {
        let value: JSONValue
        do {
            value = try JSONParser.parse(line)
        } catch {
            return .problem("answered hello with a line that is not JSON (\(error))")
        }
        switch Message.decode(value) {
        case .success(.notification):
            return .pending
        case .success(.response(let response)) where response.id == helloID:
            switch response.outcome {
            case .success(.object):
                return .accepted
            case .success(let other):
                return .problem("answered hello with \(other.typeName), not an object")
            case .failure(let error) where error.code == ControlProtocol.tokenRejectedCode:
                return .tokenRejected
            case .failure(let error):
                return .problem("refused hello: \(error.message) (code \(error.code))")
            }
        case .success:
            return .problem("answered hello with something other than its response")
        case .failure(let invalid):
            return .problem("answered hello with a message that is not JSON-RPC (\(invalid.error.message))")
        }
    }
}
