#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import JSON
import JSONRPC
import Synchronization

/// Why a harness step gave up: a hang becomes a failed test, never a hung suite.
enum HarnessError: Error {
    case pipeFailed
    case timedOut(String)
    case outputEnded
}

/// A real ``Connection`` served over two pipe(2) pairs.
///
/// ```
/// test ──send()──▶ input pipe ──▶ Connection.run() ──▶ output pipe ──nextMessage()──▶ test
/// ```
///
/// Every wait has a deadline. Descriptors are closed only once `run()` has
/// returned, so a connection that hangs can never read a later test's pipe.
final class ConnectionHarness: Sendable {
    let connection: Connection
    let writer: OutputWriter
    let handler: TestHandler

    private let inputRead: Int32
    private let inputWrite: Int32
    private let outputRead: Int32
    private let outputWrite: Int32
    private let state = Mutex(State())
    /// Apart from `self`, so that the serving task does not keep the harness alive.
    private let runFinished = RunFlag()

    private struct State {
        var pending: [UInt8] = []
        var inputClosed = false, outputReadClosed = false, outputWriteClosed = false, terminated = false
    }

    private final class RunFlag: Sendable { let value = Mutex(false) }

    init(options: Connection.Options = Connection.Options(), handler: TestHandler = TestHandler()) throws {
        // A closed output pipe must be a failed write, not a dead test process.
        signal(SIGPIPE, SIG_IGN)
        var input: [Int32] = [0, 0]
        var output: [Int32] = [0, 0]
        guard pipe(&input) == 0, pipe(&output) == 0 else { throw HarnessError.pipeFailed }
        // The test polls its end, so that a missing line times out instead of blocking.
        _ = fcntl(output[0], F_SETFL, fcntl(output[0], F_GETFL) | O_NONBLOCK)
        (inputRead, inputWrite, outputRead, outputWrite) = (input[0], input[1], output[0], output[1])
        self.handler = handler
        writer = OutputWriter(fileDescriptor: output[1])
        connection = Connection(input: input[0], writer: writer, handler: handler, options: options)
        Task { [connection, runFinished] in
            await connection.run()
            runFinished.value.withLock { $0 = true }
        }
    }

    deinit {
        let state = state.withLock { $0 }
        if !state.inputClosed { close(inputWrite) }
        guard runFinished.value.withLock({ $0 }) else { return }
        // After terminate() the reader may still sit in read(2) on this descriptor: leave it open.
        if !state.terminated { close(inputRead) }
        if !state.outputReadClosed { close(outputRead) }
        if !state.outputWriteClosed { close(outputWrite) }
    }

    // MARK: - Client side

    /// Writes `line` and its `\n` to the connection's input.
    func send(_ line: String) { send(bytes: Array(line.utf8) + [0x0A]) }

    /// Writes raw bytes to the connection's input, newline not added.
    func send(bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(inputWrite, $0.baseAddress, $0.count) }
            guard written > 0 else { return }
            offset += written
        }
    }

    /// Ends the connection's input: end of file.
    func closeInput() {
        var wasClosed = true
        state.withLock { swap(&$0.inputClosed, &wasClosed) }
        if !wasClosed { close(inputWrite) }
    }

    /// Closes the test's end of the output pipe, as a client that went away would.
    func closeOutputReader() {
        state.withLock { $0.outputReadClosed = true }
        close(outputRead)
    }

    func terminate() {
        state.withLock { $0.terminated = true }
        connection.terminate()
    }

    // MARK: - Reading answers

    /// The next line the connection wrote, parsed with the module's own parser.
    /// How long a wait may take before it counts as a hang. Generous: other suites run in parallel
    /// and may hold the machine's two cores (and the cooperative pool's threads) for seconds.
    static let patience: Duration = .seconds(30)

    func nextMessage(within timeout: Duration = ConnectionHarness.patience) async throws -> JSONValue {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let line = takeLine() { return try JSONParser.parse(line) }
            switch readAvailable() {
            case .some(true): continue
            case .some(false): throw HarnessError.outputEnded
            case nil:
                guard ContinuousClock.now < deadline else { throw HarnessError.timedOut("no line within \(timeout)") }
                try await Task.sleep(for: .milliseconds(1))
            }
        }
    }

    /// The next `count` lines.
    func nextMessages(_ count: Int, within timeout: Duration = ConnectionHarness.patience) async throws -> [JSONValue] {
        var messages: [JSONValue] = []
        for _ in 0..<count { messages.append(try await nextMessage(within: timeout)) }
        return messages
    }

    /// Waits for `run()` to return.
    func waitForRun(within timeout: Duration = ConnectionHarness.patience) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !runFinished.value.withLock({ $0 }) {
            guard ContinuousClock.now < deadline else { return false }
            try await Task.sleep(for: .milliseconds(1))
        }
        return true
    }

    /// Closes the input, waits for `run()` to return, and gives back every
    /// line written that the test has not read yet, up to the end of the output.
    func finish(within timeout: Duration = ConnectionHarness.patience) async throws -> [JSONValue] {
        closeInput()
        guard try await waitForRun(within: timeout) else { throw HarnessError.timedOut("run() did not return within \(timeout)") }
        let readerGone = state.withLock { state in
            state.outputWriteClosed = true
            return state.outputReadClosed
        }
        close(outputWrite)
        if readerGone { return [] }
        var messages: [JSONValue] = []
        while true {
            do {
                messages.append(try await nextMessage(within: timeout))
            } catch HarnessError.outputEnded {
                return messages
            }
        }
    }

    private func takeLine() -> [UInt8]? {
        state.withLock { state in
            guard let newline = state.pending.firstIndex(of: 0x0A) else { return nil }
            let line = Array(state.pending[..<newline])
            state.pending.removeSubrange(...newline)
            return line
        }
    }

    /// True when bytes arrived, false at end of output, nil when nothing is there yet.
    private func readAvailable() -> Bool? {
        var chunk = [UInt8](repeating: 0, count: 4096)
        let count = chunk.withUnsafeMutableBytes { read(outputRead, $0.baseAddress, $0.count) }
        if count > 0 {
            state.withLock { $0.pending.append(contentsOf: chunk[..<count]) }
            return true
        }
        // At end of output with a partial line left, keep waiting: the deadline reports it.
        guard count == 0, state.withLock({ $0.pending.isEmpty }) else { return nil }
        return false
    }
}

// MARK: - Reading fields

extension JSONValue {
    /// The `error.code` and `error.message` of an error response.
    var errorCode: Int64? { self["error"]?["code"]?.integerValue }
    var errorMessage: String { self["error"]?["message"]?.stringValue ?? "" }
}

// MARK: - Test handler

/// A small protocol server for driving ``Connection``: `echo` answers its params
/// now; `fail` answers error -32000 now; `slow` sleeps `params.ms` (default 100)
/// unless cancelled; `ask` sends `client/ask` to the client and answers with its
/// reply; `where` answers `.inline` with whether it ran inside a task; `pinned` answers `.later` on
/// ``OneThreadExecutor/shared`` with whether it started on that executor's thread; anything else is -32601. The
/// notification `cancel {"id": ...}` cancels that request.
final class TestHandler: MessageHandler {
    private let stats = Mutex(Stats())

    private struct Stats {
        var running = 0, peakRunning = 0, cancelledRuns = 0
        var notifications: [String] = []
    }

    /// The most `slow` requests that ever ran at once, how many were cancelled, and the notifications seen.
    var peakRunning: Int { stats.withLock { $0.peakRunning } }
    var cancelledRuns: Int { stats.withLock { $0.cancelledRuns } }
    var notifications: [String] { stats.withLock { $0.notifications } }

    func receive(_ request: Request, from peer: any Peer) -> Reply {
        switch request.method {
        case "echo": return .result(request.params ?? .null)
        case "fail": return .error(JSONRPCError(code: -32000, message: "failed on purpose"))
        case "slow": return .later { await self.sleep(request.params?["ms"]?.integerValue ?? 100) }
        case "where": return .inline { .success(["inTask": .bool(withUnsafeCurrentTask { $0 != nil })]) }
        case "pinned": return .later(on: OneThreadExecutor.shared) { .success(["onExecutor": .bool(OneThreadExecutor.shared.isCurrent)]) }
        case "ask":
            return .later {
                do throws(JSONRPCError) {
                    return .success(try await peer.request("client/ask", params: request.params))
                } catch {
                    return .failure(error)
                }
            }
        default: return .error(.methodNotFound(request.method))
        }
    }

    func receive(_ notification: Notification, from peer: any Peer) {
        stats.withLock { $0.notifications.append(notification.method) }
        if notification.method == "cancel", let id = notification.params?["id"].flatMap(RequestID.init) {
            peer.cancel(id)
        }
    }

    private func sleep(_ milliseconds: Int64) async -> Result<JSONValue, JSONRPCError> {
        stats.withLock { stats in
            stats.running += 1
            stats.peakRunning = max(stats.peakRunning, stats.running)
        }
        defer { stats.withLock { $0.running -= 1 } }
        do {
            try await Task.sleep(for: .milliseconds(milliseconds))
            return .success(["slept": .integer(milliseconds)])
        } catch {
            stats.withLock { $0.cancelledRuns += 1 }
            return .failure(.internalError("cancelled"))
        }
    }
}
