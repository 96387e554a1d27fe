import Foundation
import JSON

/// A `pulse-assistant serve` child for a replay: lines in on its stdin, messages out of its stdout,
/// parsed once by a reader thread in the order they arrive (a line that is not JSON kept as a string).
final class ServerProcess: @unchecked Sendable {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let condition = NSCondition()
    /// Every line the server wrote, in order, parsed (guarded by `condition`).
    private var received: [JSONValue] = []
    /// The ids the server has answered, serialized, and the requests it has sent, kept as lines arrive
    /// so that waiting for one more answer costs nothing like a pass over the whole session.
    private var answered: Set<String> = []
    private var requests: [JSONValue] = []
    private var ended = false

    init(executable: URL, arguments: [String], directory: URL, environment: [String: String], log: URL) throws {
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = environment
        process.standardInput = input
        process.standardOutput = output
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        let reader = Thread { [self] in readLoop() }
        reader.name = "replay reader"
        reader.start()
    }

    private func readLoop() {
        let fd = output.fileHandleForReading.fileDescriptor
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            buffer.append(contentsOf: chunk[0..<count])
            while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = Array(buffer[..<newline])
                buffer.removeSubrange(...newline)
                let message = Self.message(line)
                condition.lock()
                record(message)
                condition.broadcast()
                condition.unlock()
            }
        }
        condition.lock()
        if !buffer.isEmpty { record(Self.message(buffer)) }
        ended = true
        condition.broadcast()
        condition.unlock()
    }

    /// Keeps a message and indexes it (called with `condition` held).
    private func record(_ message: JSONValue) {
        received.append(message)
        switch (message["id"], message["method"]) {
        case (let id?, nil): answered.insert(JSONSerializer.string(id))
        case (_?, _?): requests.append(message)
        default: break
        }
    }

    /// Waits until every id in `ids` has its answer (or output ends); false on timeout.
    func waitForAnswers(to ids: [JSONValue], timeout: Double) -> Bool {
        let keys = ids.map { JSONSerializer.string($0) }
        return wait(timeout: timeout) { [self] in keys.allSatisfy { answered.contains($0) } }
    }

    /// Waits for the server's request number `index` (from 0) and returns it; nil on timeout.
    func waitForRequest(_ index: Int, timeout: Double) -> JSONValue? {
        guard wait(timeout: timeout, until: { [self] in requests.count > index }) else { return nil }
        condition.lock()
        defer { condition.unlock() }
        return requests[index]
    }

    /// Waits until `ready` holds (it runs with the lock held); false on timeout.
    private func wait(timeout: Double, until ready: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while !ready() {
            if ended { return ready() }
            if !condition.wait(until: deadline) { return ready() }
        }
        return true
    }

    /// How many lines the server has written so far.
    var count: Int {
        condition.lock()
        defer { condition.unlock() }
        return received.count
    }

    private static func message(_ line: [UInt8]) -> JSONValue {
        (try? JSONParser.parse(line)) ?? .string(String(decoding: line, as: UTF8.self))
    }

    /// Writes bytes to the server's stdin; false when it has gone.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        do {
            try input.fileHandleForWriting.write(contentsOf: bytes)
            return true
        } catch {
            return false
        }
    }

    /// Waits until `ready` holds for the messages received so far (or output ends); false on timeout.
    func wait(timeout: Double, until ready: ([JSONValue]) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while !ready(received) {
            if ended { return ready(received) }
            if !condition.wait(until: deadline) { return ready(received) }
        }
        return true
    }

    /// The messages received so far.
    var messages: [JSONValue] {
        condition.lock()
        defer { condition.unlock() }
        return received
    }

    /// Closes the server's stdin and waits for it to exit; its exit code, or nil after `timeout`.
    func finish(timeout: Double) -> Int32? {
        try? input.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline {
            usleep(5_000)
        }
        if process.isRunning {
            process.terminate()
            return nil
        }
        _ = wait(timeout: 5) { _ in false }
        return process.terminationStatus
    }

    func kill() {
        if process.isRunning { process.terminate() }
    }
}
