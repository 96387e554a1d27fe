import Dispatch
import Logging
import Synchronization

/// A control endpoint for tests and demos: applies control actions to a JSON state file.
///
/// It speaks the ``ControlProtocol`` on one or more addresses (Unix and TCP),
/// a thread per connection, and checks each `hello` against its token. Each
/// `control.execute` is applied to a JSON state file once per
/// idempotency key, under a lock, with an atomic replace. ``Faults`` make it
/// slow, failing or broken on purpose.
///
/// ```swift
/// let endpoint = ReferenceEndpoint(listen: [.unix(path: "/tmp/agent.sock")], statePath: "/tmp/state.json", token: token)
/// let bound = try endpoint.start()   // tcp port 0 comes back as the port picked
/// …
/// endpoint.stop()                    // closes connections, removes the socket file
/// ```
///
/// It is a reference, not an agent: it touches no real resource.
package final class ReferenceEndpoint: Sendable {
    /// How long a connection may stay silent before it is closed.
    package static let idleTimeout: Duration = .seconds(30)
    /// How often a delayed action sends a progress notification.
    package static let progressInterval: Duration = .milliseconds(250)
    /// How long one answer may take to write before the connection is given up.
    static let writeTimeout: Duration = .seconds(10)

    let token: String
    let stateFile: EndpointStateFile
    let faults: Faults
    let logger: Logger
    let stopSignal = StopSignal()
    private let requested: [EndpointAddress]
    private let lifecycle = Mutex(Lifecycle.idle)
    /// Accept loops and connections: ``stop()`` waits for them all.
    private let workers = DispatchGroup()

    private enum Lifecycle {
        case idle
        case running([ListeningSocket])
        case stopped
    }

    /// - Parameters:
    ///   - addresses: where to listen; a TCP port 0 picks a free port.
    ///   - statePath: the JSON state file, created if missing.
    ///   - token: what `hello` must carry (see ``TokenFile/read(_:)``).
    package init(
        listen addresses: [EndpointAddress],
        statePath: String,
        token: String,
        faults: Faults = .none,
        logger: Logger = Logger(label: "reference-endpoint")
    ) {
        self.requested = addresses
        self.stateFile = EndpointStateFile(path: statePath)
        self.token = token
        self.faults = faults
        self.logger = logger
    }

    /// Prepares the state file, listens on every address and starts accepting; the addresses as bound.
    ///
    /// - Throws: ``ReferenceEndpointError`` when the state file is unreadable or an address cannot be
    ///   listened on; nothing is left listening then.
    @discardableResult
    package func start() throws(ReferenceEndpointError) -> [EndpointAddress] {
        try lifecycle.withLock { lifecycle throws(ReferenceEndpointError) in
            guard case .idle = lifecycle else { throw .alreadyStarted }
            do throws(EndpointStateError) {
                try stateFile.prepare()
            } catch {
                throw .stateFile(error)
            }
            var listeners: [ListeningSocket] = []
            for address in requested {
                do throws(ReferenceEndpointError) {
                    listeners.append(try ListeningSocket.listen(on: address))
                } catch {
                    listeners.forEach { $0.close() }
                    throw error
                }
            }
            for listener in listeners {
                workers.enter()
                BlockingThread.start(named: "endpoint accept \(listener.address)") {
                    defer { self.workers.leave() }
                    self.acceptConnections(on: listener)
                }
            }
            lifecycle = .running(listeners)
            return listeners.map(\.address)
        }
    }

    /// The addresses being listened on, as bound; empty before ``start()`` and after ``stop()``.
    package var addresses: [EndpointAddress] {
        lifecycle.withLock { lifecycle in
            if case .running(let listeners) = lifecycle { listeners.map(\.address) } else { [] }
        }
    }

    /// Stops accepting, ends every connection, waits for them, and removes the socket files.
    ///
    /// Blocks briefly: every wait of every connection includes the stop signal.
    /// Safe to call more than once; the endpoint cannot be started again.
    package func stop() {
        let listeners = lifecycle.withLock { lifecycle -> [ListeningSocket] in
            defer { lifecycle = .stopped }
            if case .running(let listeners) = lifecycle { return listeners }
            return []
        }
        stopSignal.signal()
        workers.wait()
        listeners.forEach { $0.close() }
    }

    private func acceptConnections(on listener: ListeningSocket) {
        while true {
            switch listener.accept(stop: stopSignal) {
            case .connection(let descriptor):
                workers.enter()
                BlockingThread.start(named: "endpoint connection \(listener.address)") {
                    defer { self.workers.leave() }
                    self.serve(LineSocket(descriptor: descriptor))
                }
            case .stopped:
                return
            case .failed(let error):
                logger.error("stopped accepting connections", metadata: ["address": "\(listener.address)", "error": "\(error)"])
                return
            }
        }
    }
}
