import Foundation
import JSON
import Logging
import PulseClient
import Synchronization
import Testing

/// The fake Pulse server (`tests/fakepulse/fakepulse.py`), started on port 0 for one test and stopped
/// with it: its fleet, its action lifecycle, its faults (`POST /_fake/faults`) and its log of every
/// call it received (`GET /_fake/log`).
final class FakePulse: Sendable {
    let url: String
    private let process: ProcessBox
    /// Talks to the fake's own `/_fake` routes (no token needed).
    private let control: PulseHTTPClient
    /// How many log entries ``clearLog()`` has put behind.
    private let mark = Mutex(0)

    static let script = Fixtures.repositoryRoot.appendingPathComponent("tests/fakepulse/fakepulse.py").path

    /// The interpreter, when the machine has one.
    static let python: String? = ["/usr/bin/python3", "/usr/local/bin/python3", "/bin/python3"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Whether tests against the fake can run: python3 and the fake's script are here.
    static var isAvailable: Bool { python != nil && FileManager.default.fileExists(atPath: script) }

    /// Starts the fake with a generated fleet of `resources` rows and waits for its ready line.
    init(resources: Int = 300, seed: Int = 1, token: String? = nil, arguments: [String] = []) throws {
        let python = try #require(Self.python, "python3 is needed for the fake Pulse")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        var args = [Self.script, "--port", "0", "--resources", String(resources), "--seed", String(seed)]
        if let token { args += ["--token", token] }
        process.arguments = args + arguments
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        self.process = ProcessBox(process)
        var line = Data()
        let handle = stdout.fileHandleForReading
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = handle.availableData
            guard !chunk.isEmpty else { break }
            line.append(chunk)
        }
        let ready = try JSONParser.parse(Array(line.prefix { $0 != UInt8(ascii: "\n") }))
        url = try #require(ready["url"]?.stringValue, "the fake's ready line: \(String(decoding: line, as: UTF8.self))")
        control = try PulseHTTPClient(
            configuration: PulseConfiguration(baseURL: url, token: nil, retryCount: 0), logger: Logger(label: "fakepulse")
        )
    }

    /// A client of the fake's `/api` with `token` (the one the sync and the actions use).
    func client(token: String?, requestTimeout: Duration = .seconds(10)) throws -> PulseHTTPClient {
        try PulseHTTPClient(
            configuration: PulseConfiguration(
                baseURL: url, token: token.flatMap(PulseToken.init), requestTimeout: requestTimeout, retryCount: 1,
                backoffBase: .milliseconds(20)
            ),
            logger: Logger(label: "fakepulse")
        )
    }

    /// Sets faults (`{"action": {"plan": "mock_mode_enabled"}}`, `{"executeDelaySeconds": 3}`, `{"clear": true}`).
    func faults(_ document: JSONValue) async throws {
        let answer = try await control.send(PulseRequest(method: .post, path: "/_fake/faults", body: document))
        #expect(answer.status == 200, "faults \(document): \(String(decoding: answer.body, as: UTF8.self))")
    }

    /// Every `/api` call received since the start or the last ``clearLog()``.
    ///
    /// The fake records a call after its answer has gone out, so a read right after an answer may
    /// miss it: the log is read once it has stopped growing.
    func log() async throws -> [JSONValue] {
        Array(try await settledLog().dropFirst(mark.withLock { $0 }))
    }

    private func settledLog() async throws -> [JSONValue] {
        var all = try await control.get("/_fake/log").json().arrayValue ?? []
        while true {
            try await Task.sleep(for: .milliseconds(60))
            let again = try await control.get("/_fake/log").json().arrayValue ?? []
            if again.count == all.count { return again }
            all = again
        }
    }

    /// The calls a control action makes (`GET /api/resources/{id}` and every `/api/actions` route), as
    /// `METHOD path`, in order.
    func controlCalls() async throws -> [String] {
        try await log().compactMap { entry in
            guard let method = entry["method"]?.stringValue, let path = entry["path"]?.stringValue else { return nil }
            let isResource = path.hasPrefix("/api/resources/")
            guard isResource || path.hasPrefix("/api/actions") else { return nil }
            return "\(method) \(path)"
        }
    }

    /// The execute calls received.
    func executes() async throws -> [String] {
        try await controlCalls().filter { $0.hasSuffix("/execute") }
    }

    /// Forgets the calls so far (the sync's): later reads of the log start after them. The fake
    /// clears its log on `DELETE`, which this client does not send, so the test keeps a mark instead.
    func clearLog() async throws {
        let count = try await settledLog().count
        mark.withLock { $0 = count }
    }

    /// The fake's action records (`GET /_fake/actions`).
    func actions() async throws -> [JSONValue] {
        try await control.get("/_fake/actions").json().arrayValue ?? []
    }

    /// One resource row as the fake serves it now.
    func resource(_ id: String) async throws -> JSONValue {
        try await control.get("/api/resources/\(id)").json()
    }

    func stop() async {
        await control.shutdown()
        process.stop()
    }

    deinit {
        process.stop()
    }
}

/// A child process (the fake, or a server under test): stopped once, from whichever side gets there first.
final class ProcessBox: @unchecked Sendable {
    // Unchecked: the process is only touched under the lock.
    private let process: Mutex<Process?>

    init(_ process: Process) {
        self.process = Mutex(process)
    }

    func stop() {
        let running = process.withLock { value -> Process? in
            defer { value = nil }
            return value
        }
        guard let running, running.isRunning else { return }
        // SIGKILL, not SIGTERM: a child of the test process may inherit a mask that blocks SIGTERM (the
        // server's own termination handling), and the fake keeps nothing that needs a clean exit.
        kill(running.processIdentifier, SIGKILL)
        running.waitUntilExit()
    }
}
