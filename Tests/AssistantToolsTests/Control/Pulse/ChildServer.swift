import Foundation
import JSON
import Synchronization
import Testing

/// `pulse-assistant serve` as a child process the test talks MCP to over its stdin and stdout, and
/// can kill with SIGKILL at any point.
final class ChildServer: Sendable {
    private let process: ProcessBox
    private let pid: Int32
    private let input: FileHandle
    private let output = OutputBuffer()

    /// The binary `swift build` made beside the tests.
    static let binary = Fixtures.repositoryRoot.appendingPathComponent(".build/debug/pulse-assistant").path

    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: binary) }

    init(arguments: [String], environment: [String: String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        process.environment = environment
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        let output = self.output
        stdout.fileHandleForReading.readabilityHandler = { handle in
            let chunk = handle.availableData
            if !chunk.isEmpty { output.data.withLock { $0.append(chunk) } }
        }
        try process.run()
        pid = process.processIdentifier
        input = stdin.fileHandleForWriting
        self.process = ProcessBox(process)
    }

    /// Writes one JSON-RPC message.
    func send(_ message: JSONValue) throws {
        try input.write(contentsOf: Data((message.description + "\n").utf8))
    }

    /// The first message written since the last one taken that `matches`, waiting up to `timeout`.
    func next(timeout: Duration = .seconds(30), _ matches: (JSONValue) -> Bool) async throws -> JSONValue {
        let end = ContinuousClock.now + timeout
        while ContinuousClock.now < end {
            let line = output.data.withLock { data -> Data? in
                guard let newline = data.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
                let line = data[data.startIndex..<newline]
                data.removeSubrange(data.startIndex...newline)
                return Data(line)
            }
            if let line {
                if let message = try? JSONParser.parse(Array(line)), matches(message) { return message }
                continue
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("the server wrote no matching message within \(timeout)")
        throw CancellationError()
    }

    /// `initialize` (declaring elicitation) and `notifications/initialized`.
    func initialize() async throws {
        try send([
            "jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": Fixtures.initializeParams(capabilities: ["elicitation": [:]]),
        ])
        _ = try await next { $0["id"] == 1 }
        try send(["jsonrpc": "2.0", "method": "notifications/initialized"])
    }

    /// SIGKILL: no handler runs, nothing is flushed or settled.
    func kill() {
        process.stop()
    }
}

/// What the child wrote and the test has not read yet.
final class OutputBuffer: Sendable {
    let data = Mutex(Data())
}
