import JSON
import JSONRPC

/// `control.execute`: the fault switches, then the state file.
extension ReferenceEndpoint {
    /// Applies (or, by fault, refuses, delays, drops or garbles) one action; false when the connection should close.
    func execute(_ request: EndpointRequest, id: RequestID, on socket: LineSocket) -> Bool {
        if faults.delayMilliseconds > 0 {
            guard delay(on: socket) else { return false }
            if faults.delayMilliseconds > request.deadlineMilliseconds {
                let message = "deadline passed before applying: waited \(faults.delayMilliseconds) ms, "
                    + "past the \(request.deadlineMilliseconds) ms deadline; nothing was applied"
                return reply(.result(id, EndpointState.failed(message)), on: socket)
            }
        }
        if faults.failActions.contains(request.action) {
            let message = "this endpoint was told to fail \(request.action) actions; nothing was applied"
            return reply(.result(id, EndpointState.failed(message)), on: socket)
        }
        let result: JSONValue
        do {
            result = try stateFile.update { $0.apply(request) }
        } catch {
            logger.error("could not apply an action", metadata: ["actionId": "\(request.actionId)", "error": "\(error)"])
            return reply(.error(id, .internalError(error.description)), on: socket)
        }
        if faults.dropConnection {
            return false
        }
        if faults.garbage {
            let line = Array("this is not JSON: the reference endpoint was told to answer garbage\n".utf8)
            return socket.sendBytes(line, deadline: .after(Self.writeTimeout), stop: stopSignal) == .sent
        }
        return reply(.result(id, result), on: socket)
    }

    /// Waits out the delay fault, sending progress every ``progressInterval``; false when stopped or the peer is gone.
    private func delay(on socket: LineSocket) -> Bool {
        let total = faults.delayMilliseconds
        let start = ContinuousClock.now
        let end = start + .milliseconds(total)
        var tick = 1
        while true {
            let next = start + Self.progressInterval * tick
            guard next < end else { return !stopSignal.wait(until: .at(end)) }
            if stopSignal.wait(until: .at(next)) { return false }
            let elapsed = (Self.progressInterval * tick).wholeMilliseconds
            let progress = EndpointProgress(
                progress: Double(elapsed),
                total: Double(total),
                message: "delayed by the endpoint's fault switch: \(elapsed) of \(total) ms"
            )
            let notification = Notification(method: ControlProtocol.progressMethod, params: progress.wireParams)
            guard socket.send(.notification(notification), deadline: .after(Self.writeTimeout), stop: stopSignal) == .sent else {
                return false
            }
            tick += 1
        }
    }
}
