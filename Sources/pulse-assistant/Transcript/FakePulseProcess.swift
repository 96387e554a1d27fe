import Foundation
import JSON
import Fleet

/// The fake Pulse server a `{"pulse": …}` fixture names: the repository's `tests/fakepulse/fakepulse.py`,
/// started for one replay on 127.0.0.1 with port 0 and stopped with it.
///
/// A replay must be the recorded session again, so the fake runs with the header's fleet size and seed,
/// its faults, a token of the replay's own, and its action clock frozen at the header's clock (plan
/// times, events and expiries are then the recorded ones). Its URL differs on every run: the replay
/// writes it back as ``recordedURL`` before comparing.
///
/// The script is found by its fixed path in the checkout that holds the transcript (walking up from
/// the transcript's directory), never by a path the header names: a transcript is data and does not
/// choose what the replayer runs.
final class FakePulseProcess: @unchecked Sendable {
    // Unchecked: `process` is only started in `init` and signalled in `stop`.

    /// The script, relative to the repository root.
    static let script = "tests/fakepulse/fakepulse.py"
    /// What a live fake's URL is written back as: a name that resolves nowhere.
    static let recordedURL = "http://fake-pulse.invalid:7655"
    /// How many directories above the transcript's are searched for the checkout's root.
    static let searchDepth = 4

    let url: String
    private let process = Process()
    /// The fake's stdin; never written.
    private let lifeline = Pipe()

    init(_ fixture: TranscriptHeader.PulseFixture, transcript: String, clock: Timestamp, token: String, log: URL) throws {
        let script = try Self.locate(transcript: transcript)
        guard let python = Self.python() else {
            throw TranscriptError("a pulse fixture needs python3 on PATH to run the fake Pulse")
        }
        process.executableURL = URL(fileURLWithPath: python)
        var arguments = [
            script, "--port", "0", "--resources", String(fixture.resources), "--seed", String(fixture.seed),
            "--token", token, "--frozen-clock", clock.description, "--exit-with-stdin",
        ]
        for fault in fixture.faults { arguments += ["--fault", JSONSerializer.string(fault)] }
        process.arguments = arguments
        let stdout = Pipe()
        process.standardOutput = stdout
        // Only this process holds the pipe's write end: however the replay ends (killed included), the
        // fake reads the end of its input and stops.
        process.standardInput = lifeline
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: log)
        do {
            try process.run()
        } catch {
            throw TranscriptError("cannot start the fake Pulse (\(script)): \(error)")
        }
        var line: [UInt8] = []
        let handle = stdout.fileHandleForReading
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = handle.availableData
            guard !chunk.isEmpty else { break }
            line += chunk
        }
        let ready = try? JSONParser.parse(Array(line.prefix { $0 != UInt8(ascii: "\n") }))
        guard let url = ready?["url"]?.stringValue else {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            let said = (try? String(contentsOf: log, encoding: .utf8)).map { String($0.suffix(400)) } ?? ""
            throw TranscriptError("the fake Pulse did not start: \(said.isEmpty ? "no ready line" : said)")
        }
        self.url = url
    }

    /// SIGKILL, not SIGTERM: the fake inherits the replayer's signal mask, which may block SIGTERM, and
    /// it keeps nothing that needs a clean exit.
    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// `tests/fakepulse/fakepulse.py` in the transcript's directory or one of the few above it.
    static func locate(transcript: String) throws -> String {
        var directory = URL(fileURLWithPath: transcript).deletingLastPathComponent().standardizedFileURL
        for _ in 0...searchDepth {
            let candidate = directory.appendingPathComponent(script).path
            if FileManager.default.isReadableFile(atPath: candidate) { return candidate }
            directory.deleteLastPathComponent()
        }
        throw TranscriptError("a pulse fixture needs the fake Pulse (\(script) of a pulse-assistant checkout) in a directory above the transcript")
    }

    /// The first `python3` on `PATH`.
    static func python() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/python3" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
