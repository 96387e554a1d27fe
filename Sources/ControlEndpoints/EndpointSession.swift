import JSON
import JSONRPC
import Synchronization

/// A connection to an endpoint that has said hello: carries one `control.execute`, then closes.
///
/// Dropping a session that was never executed closes its connection.
package final class EndpointSession: ControlSession {
    package let address: EndpointAddress
    private let answerGrace: Duration
    /// Nil once executed or closed: a session carries one action.
    private let socket: Mutex<LineSocket?>

    init(address: EndpointAddress, socket: LineSocket, answerGrace: Duration) {
        self.address = address
        self.answerGrace = answerGrace
        self.socket = Mutex(socket)
    }

    /// Closes the connection without sending anything.
    package func close() {
        socket.withLock { $0.take() }?.close()
    }

    package func execute(_ request: EndpointRequest, progress: @escaping @Sendable (EndpointProgress) -> Void) async -> EndpointOutcome {
        guard let socket = socket.withLock({ $0.take() }) else {
            return EndpointOutcome(state: .failed, message: "the session to \(address) was already used or closed; nothing was sent")
        }
        let exchange = Exchange(address: address, request: request, answerGrace: answerGrace)
        return await BlockingThread.run(named: "endpoint \(address)") {
            defer { socket.close() }
            return exchange.run(on: socket, progress: progress)
        }
    }
}

/// One `control.execute` round trip, blocking; every way it can end maps to an outcome.
private struct Exchange: Sendable {
    var address: EndpointAddress
    var request: EndpointRequest
    var answerGrace: Duration

    func run(on socket: LineSocket, progress: (EndpointProgress) -> Void) -> EndpointOutcome {
        let milliseconds = max(0, request.deadlineMilliseconds)
        let deadline = Deadline.after(.milliseconds(milliseconds) + answerGrace)
        let message = Request(id: EndpointClient.executeID, method: ControlProtocol.executeMethod, params: request.wireParams)
        switch socket.send(.request(message), deadline: deadline) {
        case .sent:
            break
        case .failed(let error, bytesSent: 0):
            return EndpointOutcome(state: .failed, message: "could not send the action to \(address): \(error); nothing was sent")
        case .failed(let error, _):
            return mayHaveRun("broke the connection while the action was being sent (\(error))")
        }
        while true {
            switch socket.readLine(deadline: deadline) {
            case .line(let bytes):
                if let outcome = outcome(of: bytes, progress: progress) { return outcome }
            case .oversized(let count):
                return mayHaveRun("answered with a line of \(count) bytes, over the \(ControlProtocol.maximumLineLength)-byte limit")
            case .closed:
                return mayHaveRun("closed the connection before answering")
            case .timedOut, .stopped:
                return EndpointOutcome(
                    state: .unknown,
                    message: "\(address) gave no answer within \(milliseconds) ms; the endpoint may still apply it"
                )
            case .failed(let error):
                return mayHaveRun("broke the connection before answering (\(error))")
            }
        }
    }

    /// The outcome a line settles, or nil for a notification (progress is forwarded).
    private func outcome(of line: [UInt8], progress: (EndpointProgress) -> Void) -> EndpointOutcome? {
        let value: JSONValue
        do {
            value = try JSONParser.parse(line)
        } catch {
            return mayHaveRun("answered with a line that is not JSON (\(error))")
        }
        switch Message.decode(value) {
        case .success(.notification(let notification)):
            if notification.method == ControlProtocol.progressMethod, let update = EndpointProgress(wireParams: notification.params) {
                progress(update)
            }
            return nil
        case .success(.response(let response)) where response.id == EndpointClient.executeID:
            switch response.outcome {
            case .success(let result):
                return outcome(ofResult: result)
            case .failure(let error):
                return EndpointOutcome(
                    state: .failed,
                    message: "\(address) refused the action: \(error.message) (code \(error.code)); it was not applied"
                )
            }
        case .success:
            return mayHaveRun("answered with a message that is not the action's response")
        case .failure(let invalid):
            return mayHaveRun("answered with a message that is not JSON-RPC (\(invalid.error.message))")
        }
    }

    /// Reads `{state: completed|failed, message, observed}`; anything else leaves the action unknown.
    private func outcome(ofResult result: JSONValue) -> EndpointOutcome {
        guard case .object(let object) = result else {
            return mayHaveRun("answered with a \(result.typeName) result, not an object")
        }
        guard let stateText = object["state"]?.stringValue,
              let state = EndpointOutcome.State(rawValue: stateText),
              state != .unknown
        else {
            let got = object["state"].map { "\($0)" } ?? "nothing"
            return mayHaveRun("answered with a state of \(got), not \"completed\" or \"failed\"")
        }
        let text: String
        switch object["message"] {
        case nil: text = state == .completed ? "the action completed" : "the action failed"
        case .string(let message)?: text = message
        case let other?: return mayHaveRun("answered with a \(other.typeName) message, not a string")
        }
        // `null` and absent both mean the endpoint did not say (JSONValue's own nil literal is `.null`, hence `.none`).
        let observed: JSONValue? = object["observed"]?.isNull == false ? object["observed"] : .none
        return EndpointOutcome(state: state, message: "\(address): \(text)", observed: observed)
    }

    private func mayHaveRun(_ problem: String) -> EndpointOutcome {
        EndpointOutcome(state: .unknown, message: "\(address) \(problem); the action may have been applied")
    }
}
