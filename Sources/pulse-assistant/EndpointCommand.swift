import ArgumentParser
import ControlEndpoints
import Fleet
import Foundation
import JSONRPC
import Logging
import ResourceStore
import Synchronization

/// `pulse-assistant endpoint`: a reference control endpoint for tests and demos.
struct EndpointCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "endpoint",
        abstract: "Run a reference control endpoint for tests and demos: it applies control actions to a JSON state file.",
        discussion: """
            Speaks the control-endpoint protocol (line-delimited JSON-RPC 2.0: hello with the token, then \
            control.execute) on every --listen address, and applies start, stop, shutdown, reboot, restart, scale \
            and delete to the --state file, once per idempotency key. It touches no real resource. The fault \
            switches make it slow (--delay-ms, with a progress notification every 250 ms), failing \
            (--fail-action), or broken (--drop-connection, --garbage). Prints "listening on ADDRESS" on stderr for \
            each address; SIGTERM or SIGINT stops it and removes its socket files.
            """
    )

    @Option(
        name: .long,
        help: ArgumentHelp("An address to listen on: unix:PATH or tcp:HOST:PORT (port 0 picks one). Repeatable.", valueName: "address"),
        transform: { try EndpointAddress(parsing: $0) }
    )
    var listen: [EndpointAddress] = []

    @Flag(name: .long, help: "Also listen on every endpoint the demo fleet's agents and connections name (unix:DIR/*.sock, DIR from --demo-endpoints), so that the embedded demo's routed actions land here.")
    var demo = false

    @Option(name: .long, help: ArgumentHelp("The directory of the demo fleet's endpoint sockets.", valueName: "dir"))
    var demoEndpoints: String = DemoFleet.defaultEndpointDirectory

    @Option(name: .long, help: ArgumentHelp("The JSON state file the actions are applied to; created if missing.", valueName: "path"))
    var state: String

    @Option(name: .long, help: ArgumentHelp("The file holding the token hello must carry; mode 0600 or stricter.", valueName: "path"))
    var tokenFile: String

    @Option(name: .long, help: ArgumentHelp("Wait this long before applying each action; past the action's deadline it is not applied.", valueName: "ms"))
    var delayMs: Int = 0

    @Option(name: .customLong("fail-action"), help: ArgumentHelp("Answer this action failed without applying it. Repeatable.", valueName: "action"))
    var failActions: [String] = []

    @Flag(name: .long, help: "Apply each action, then close the connection without answering.")
    var dropConnection = false

    @Flag(name: .long, help: "Apply each action, then answer a line that is not JSON.")
    var garbage = false

    func validate() throws {
        guard !listen.isEmpty || demo else { throw ValidationError("give at least one --listen address, or --demo") }
        guard delayMs >= 0 else { throw ValidationError("--delay-ms must be 0 or more") }
        guard !(dropConnection && garbage) else { throw ValidationError("give --drop-connection or --garbage, not both") }
    }

    func run() async throws {
        let token = try TokenFile.read(tokenFile)
        var logger = Logger(label: "pulse-assistant.endpoint", factory: { StreamLogHandler.standardError(label: $0) })
        logger.logLevel = .warning
        let faults = ReferenceEndpoint.Faults(
            delayMilliseconds: delayMs,
            failActions: Set(failActions),
            dropConnection: dropConnection,
            garbage: garbage
        )
        let addresses = try listen + (demo ? Self.demoAddresses(in: demoEndpoints) : [])
        let endpoint = ReferenceEndpoint(listen: addresses, statePath: state, token: token, faults: faults, logger: logger)
        for address in try endpoint.start() {
            StandardError.write("listening on \(address)")
        }
        let resumed = Mutex(false)
        await withCheckedContinuation { (stopped: CheckedContinuation<Void, Never>) in
            _ = TerminationSignals {
                // SIGINT then SIGTERM must not resume twice.
                guard resumed.withLock({ done in defer { done = true }; return !done }) else { return }
                endpoint.stop()
                stopped.resume()
            }
        }
    }

    /// The endpoints the default demo fleet's agents and connections name, once each, creating the
    /// directories of their socket files.
    static func demoAddresses(in directory: String) throws -> [EndpointAddress] {
        var texts: [String] = []
        for (_, endpoint) in DemoFleet(endpointDirectory: directory).controlEndpoints where !texts.contains(endpoint) {
            texts.append(endpoint)
        }
        return try texts.map { text in
            let address = try EndpointAddress(parsing: text)
            if case .unix(let path) = address {
                try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            }
            return address
        }
    }
}
