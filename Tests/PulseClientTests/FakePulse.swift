import Foundation
import Synchronization
import JSON
import Logging
@testable import PulseClient

/// The fake Pulse server (`tests/fakepulse/fakepulse.py`, Python stdlib), started on port 0 for
/// one test and stopped after it.
///
/// It prints one JSON line when ready, `{"url": …, "pid": …, "caFile": …}`; faults are switched
/// with `POST /_fake/faults`. Tests skip only when python3 is missing: a missing script is a failure.
final class FakePulse: @unchecked Sendable {
    let url: String
    let caFile: String?
    private let process: Process

    /// The package root, three levels above this file (`Tests/PulseClientTests/FakePulse.swift`).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let script = packageRoot.appendingPathComponent("tests/fakepulse/fakepulse.py").path

    /// The python3 on PATH, if there is one.
    static let python: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/python3" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    static var hasPython: Bool { python != nil }

    private init(url: String, caFile: String?, process: Process) {
        self.url = url
        self.caFile = caFile
        self.process = process
    }

    /// Starts a fake with `arguments` (after `--port 0`) and runs `body`, stopping the fake after.
    static func with<T>(
        _ arguments: [String], _ body: (FakePulse) async throws -> T
    ) async throws -> T {
        let fake = try await start(arguments)
        defer { fake.stop() }
        return try await body(fake)
    }

    static func start(_ arguments: [String]) async throws -> FakePulse {
        guard let python else { throw Failure("python3 is missing") }
        guard FileManager.default.fileExists(atPath: script) else { throw Failure("the fake Pulse is missing at \(script)") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script, "--port", "0"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let line = await firstLine(of: output.fileHandleForReading)
        guard let line, let ready = try? JSONParser.parse(line), let url = ready["url"]?.stringValue else {
            process.terminate()
            throw Failure("the fake Pulse did not say it was ready (\(line.map { String(decoding: $0, as: UTF8.self) } ?? "no output"))")
        }
        return FakePulse(url: url, caFile: ready["caFile"]?.stringValue, process: process)
    }

    /// Reads up to the first newline on a background thread, so no Swift concurrency thread blocks.
    private static func firstLine(of handle: FileHandle) async -> [UInt8]? {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var line: [UInt8] = []
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { return continuation.resume(returning: line.isEmpty ? nil : line) }
                    if let newline = chunk.firstIndex(of: 0x0A) {
                        line += chunk[chunk.startIndex..<newline]
                        return continuation.resume(returning: line)
                    }
                    line += chunk
                }
            }
        }
    }

    /// Kills the fake (SIGKILL: a child of the test runner may inherit an ignored SIGTERM).
    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    // MARK: - Clients and faults

    /// A configuration for this fake, retrying fast.
    func configuration(token: String? = nil, caFile: String? = nil, retries: Int = 3) -> PulseConfiguration {
        PulseConfiguration(
            baseURL: url, token: token.flatMap(PulseToken.init), caFilePath: caFile, connectTimeout: .seconds(5),
            requestTimeout: .seconds(30), retryCount: retries, backoffBase: .milliseconds(10)
        )
    }

    /// Switches a fault on (or `{"clear": true}`).
    func fault(_ fault: JSONValue, token: String? = nil) async throws {
        _ = try await withClient(configuration(token: token, caFile: caFile)) { client in
            try await client.postJSON("/_fake/faults", body: fault)
        }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}

/// Records the waits a client asks for, instead of waiting.
final class RecordingSleeper: Sendable {
    private let waits = Mutex<[Duration]>([])

    var sleeper: PulseSleeper {
        PulseSleeper { [self] duration in waits.withLock { $0.append(duration) } }
    }

    var recorded: [Duration] { waits.withLock { $0 } }
}
