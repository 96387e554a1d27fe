@testable import ControlEndpoints
import JSON

/// A misbehaving endpoint: accepts one connection and answers the n-th line it reads with `replies[n]`, verbatim.
///
/// When the script runs out it closes the connection; `replies[n]` may be empty (read the line, answer nothing).
final class ScriptedEndpoint: Sendable {
    let address: EndpointAddress
    private let listener: ListeningSocket
    private let stop = StopSignal()

    init(at address: EndpointAddress, replies: [[String]]) throws {
        listener = try ListeningSocket.listen(on: address)
        self.address = listener.address
        let listener = listener
        let stop = stop
        BlockingThread.start(named: "scripted endpoint") {
            guard case .connection(let descriptor) = listener.accept(stop: stop) else { return }
            let socket = LineSocket(descriptor: descriptor)
            for reply in replies {
                guard case .line = socket.readLine(deadline: .after(.seconds(10)), stop: stop) else { return }
                for line in reply {
                    _ = socket.sendBytes(Array((line + "\n").utf8), deadline: .after(.seconds(5)))
                }
            }
            socket.close()
        }
    }

    /// The accepting thread holds the listener and the signal: it closes them when it ends.
    deinit {
        stop.signal()
    }

    static let helloOK = #"{"jsonrpc":"2.0","id":1,"result":{}}"#
}
