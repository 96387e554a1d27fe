import Dispatch
import JSON
import Logging
import Synchronization

/// A JSON-RPC 2.0 connection over a pair of byte streams (stdin and stdout).
///
/// One reading thread blocks in read(2) — no polling, no sleeps — splits the
/// stream into lines, and hands each message to the ``MessageHandler`` in
/// wire order. Answers that need work run as concurrent tasks, at most
/// ``Options/maximumRequestsInFlight`` at once: when that many are running,
/// the reader stops reading, so a flooding client fills its pipe instead of
/// our memory. Every message goes out through one ``OutputWriter``.
///
/// Life cycle: ``run()`` returns after the input ends (end of file, or
/// ``terminate()``) and every request already read has been answered.
package final class Connection: Peer, Sendable {
    package struct Options: Sendable {
        /// The longest line accepted, in bytes; longer ones are answered `-32600` and skipped.
        package var maximumLineLength: Int
        /// How many requests may run concurrently before the reader pauses.
        package var maximumRequestsInFlight: Int
        /// How many bytes one read(2) asks for.
        package var readChunkSize: Int
        /// What the ids of requests sent to the peer start with; a number counting from 1 follows.
        package var outgoingRequestIDPrefix: String

        package static let defaultMaximumLineLength = 8 * 1024 * 1024

        package init(
            maximumLineLength: Int = defaultMaximumLineLength,
            maximumRequestsInFlight: Int = 64,
            readChunkSize: Int = 64 * 1024,
            outgoingRequestIDPrefix: String = "s-"
        ) {
            self.maximumLineLength = maximumLineLength
            self.maximumRequestsInFlight = max(1, maximumRequestsInFlight)
            self.readChunkSize = max(1, readChunkSize)
            self.outgoingRequestIDPrefix = outgoingRequestIDPrefix
        }
    }

    private let input: Int32
    private let writer: OutputWriter
    private let handler: any MessageHandler
    private let options: Options
    private let logger: Logger
    private let slots: DispatchSemaphore
    private let state = Mutex(State())
    private let inputObserver = Mutex<(@Sendable (LineFramer.Frame) -> Void)?>(nil)

    private struct State {
        var inFlight: [RequestID: InFlight] = [:]
        var running = 0
        var idleWaiter: CheckedContinuation<Void, Never>?
        var stopRequested = false
        var reading = false
        var inputFinished = false
        var inputWaiter: CheckedContinuation<Void, Never>?
        var outgoing: [RequestID: CheckedContinuation<Result<JSONValue, JSONRPCError>, Never>] = [:]
        var nextOutgoingID = 1
    }

    private struct InFlight {
        var task: Task<Void, Never>?
        var cancelled = false
        /// False once the request lent its slot back while waiting on the peer.
        var holdsSlot = true
    }

    /// The request whose task is running, so that `request(_:params:)` knows whose slot to lend.
    @TaskLocal private static var servingRequest: RequestID?

    /// - Parameters:
    ///   - input: the descriptor to read (0 for stdin); blocking or not.
    ///   - writer: the one writer for the output stream.
    ///   - handler: the protocol server.
    package init(
        input: Int32,
        writer: OutputWriter,
        handler: any MessageHandler,
        options: Options = Options(),
        logger: Logger = Logger(label: "jsonrpc")
    ) {
        self.input = input
        self.writer = writer
        self.handler = handler
        self.options = options
        self.logger = logger
        self.slots = DispatchSemaphore(value: options.maximumRequestsInFlight)
    }

    /// Serves until the input ends, then waits for every request already read to be answered.
    package func run() async {
        let reader = DispatchQueue(label: "jsonrpc.reader")
        reader.async { self.readLoop() }
        await withCheckedContinuation { continuation in
            let finished = state.withLock { state in
                if state.inputFinished { return true }
                state.inputWaiter = continuation
                return false
            }
            if finished { continuation.resume() }
        }
        await withCheckedContinuation { continuation in
            let idle = state.withLock { state in
                if state.running == 0 { return true }
                state.idleWaiter = continuation
                return false
            }
            if idle { continuation.resume() }
        }
    }

    /// Stops reading: lines already read are still served, nothing more is read.
    /// Safe to call from a signal source, more than once.
    package func terminate() {
        let finishNow = state.withLock { state in
            state.stopRequested = true
            return state.reading
        }
        if finishNow { finishInput() }
    }

    // MARK: - Peer

    package func notify(_ notification: Notification) {
        writer.write(.notification(notification))
    }

    /// While it waits for the peer, the calling request gives its in-flight
    /// slot back: otherwise requests waiting on answers could hold every slot
    /// while the reader, paused for a slot, never reads those answers.
    package func request(_ method: String, params: JSONValue?) async throws(JSONRPCError) -> JSONValue {
        lendSlot()
        let box = Mutex<RequestID?>(nil)
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let id: RequestID? = state.withLock { state in
                    guard !state.inputFinished else { return nil }
                    let id = RequestID.string("\(options.outgoingRequestIDPrefix)\(state.nextOutgoingID)")
                    state.nextOutgoingID += 1
                    state.outgoing[id] = continuation
                    return id
                }
                guard let id else {
                    continuation.resume(returning: .failure(.internalError("the client closed the connection")))
                    return
                }
                box.withLock { $0 = id }
                // A cancellation that came before the id was known found nothing to cancel: act on it here.
                if Task.isCancelled {
                    withdraw(id)
                    return
                }
                writer.write(.request(Request(id: id, method: method, params: params)))
            }
        } onCancel: {
            if let id = box.withLock({ $0 }) { withdraw(id) }
        }
        return try result.get()
    }

    private func withdraw(_ id: RequestID) {
        let waiter = state.withLock { $0.outgoing.removeValue(forKey: id) }
        waiter?.resume(returning: .failure(.internalError("request \(id) was cancelled")))
    }

    private func lendSlot() {
        guard let id = Self.servingRequest else { return }
        let lent = state.withLock { state -> Bool in
            guard state.inFlight[id]?.holdsSlot == true else { return false }
            state.inFlight[id]?.holdsSlot = false
            return true
        }
        if lent { slots.signal() }
    }

    package func cancel(_ id: RequestID) {
        let task: Task<Void, Never>? = state.withLock { state in
            guard state.inFlight[id] != nil else { return nil }
            state.inFlight[id]?.cancelled = true
            return state.inFlight[id]?.task
        }
        task?.cancel()
    }

    // MARK: - Reading

    private func readLoop() {
        var framer = LineFramer(maximumLineLength: options.maximumLineLength)
        var chunk = [UInt8](repeating: 0, count: options.readChunkSize)
        while true {
            guard beginRead() else {
                finishInput()
                return
            }
            let result = chunk.withUnsafeMutableBytes { SystemIO.read(input, into: $0) }
            guard endRead() else { return }
            switch result {
            case .bytes(let count):
                framer.append(chunk[0..<count])
                while let frame = framer.nextFrame() {
                    process(frame, moreQueued: framer.bufferedByteCount > 0)
                }
            case .endOfFile:
                if let frame = framer.finish() { process(frame, moreQueued: false) }
                finishInput()
                return
            case .failed(let code):
                logger.error("reading the input failed", metadata: ["errno": "\(code)"])
                finishInput()
                return
            }
        }
    }

    private func beginRead() -> Bool {
        state.withLock { state in
            guard !state.stopRequested else { return false }
            state.reading = true
            return true
        }
    }

    /// False when a stop came during the read: its bytes arrived after the stop and are not served.
    private func endRead() -> Bool {
        state.withLock { state in
            state.reading = false
            return !state.stopRequested
        }
    }

    private func finishInput() {
        let (waiter, outgoing) = state.withLock { state in
            guard !state.inputFinished else {
                return (CheckedContinuation<Void, Never>?.none, [CheckedContinuation<Result<JSONValue, JSONRPCError>, Never>]())
            }
            state.inputFinished = true
            defer {
                state.inputWaiter = nil
                state.outgoing = [:]
            }
            return (state.inputWaiter, Array(state.outgoing.values))
        }
        for continuation in outgoing {
            continuation.resume(returning: .failure(.internalError("the client closed the connection")))
        }
        handler.inputEnded()
        waiter?.resume()
    }

    /// Calls `observer` with every frame read, in wire order, before it is handled: for recording
    /// transcripts. Set it before ``run()``.
    package func observeInput(_ observer: @escaping @Sendable (LineFramer.Frame) -> Void) {
        inputObserver.withLock { $0 = observer }
    }

    /// `moreQueued`: whether more input was read behind this frame (a pipelining client).
    private func process(_ frame: LineFramer.Frame, moreQueued: Bool) {
        if let observer = inputObserver.withLock({ $0 }) {
            observer(frame)
        }
        switch frame {
        case .oversized(let count):
            let detail = "line of \(count) bytes exceeds the limit of \(options.maximumLineLength) bytes; skipped"
            writer.write(.response(.error(nil, .invalidRequest(detail))))
        case .line(let bytes):
            process(line: bytes, moreQueued: moreQueued)
        }
    }

    private func process(line: [UInt8], moreQueued: Bool) {
        let value: JSONValue
        do {
            value = try JSONParser.parse(line)
        } catch {
            writer.write(.response(.error(nil, .parseError(error.description))))
            return
        }
        switch Message.decode(value) {
        case .failure(let invalid):
            if invalid.isResponse {
                logger.warning("dropped a malformed response", metadata: ["error": "\(invalid.error.message)"])
            } else {
                writer.write(.response(.error(invalid.id, invalid.error)))
            }
        case .success(.request(let request)):
            dispatch(request, moreQueued: moreQueued)
        case .success(.notification(let notification)):
            handler.receive(notification, from: self)
        case .success(.response(let response)):
            deliver(response)
        }
    }

    private func deliver(_ response: Response) {
        guard let id = response.id, let waiter = state.withLock({ $0.outgoing.removeValue(forKey: id) }) else {
            logger.warning("dropped a response to no request of ours", metadata: ["id": "\(response.id?.description ?? "null")"])
            return
        }
        waiter.resume(returning: response.outcome)
    }
}

// MARK: - Dispatch

extension Connection {
    private func dispatch(_ request: Request, moreQueued: Bool) {
        let id = request.id
        guard state.withLock({ $0.inFlight[id] == nil }) else {
            writer.write(.response(.error(id, .invalidRequest("request id \(id) is already in use by a request in flight"))))
            return
        }
        switch handler.receive(request, from: self) {
        case .now(let outcome):
            writer.write(.response(Response(id: id, outcome: outcome)))
        case .inline(let work) where !moreQueued:
            writer.write(.response(Response(id: id, outcome: work())))
        case .inline(let work):
            spawn(id) { work() }
        case .later(let executor, let work):
            spawn(id, on: executor, work)
        }
    }

    /// Runs `work` as a task, holding an in-flight slot, and answers when it finishes.
    private func spawn(
        _ id: RequestID, on executor: (any TaskExecutor)? = nil, _ work: @escaping @Sendable () async -> Result<JSONValue, JSONRPCError>
    ) {
        slots.wait()
        state.withLock { state in
            state.inFlight[id] = InFlight()
            state.running += 1
        }
        let task = Task(executorPreference: executor) { await Self.$servingRequest.withValue(id) { await self.complete(id, with: work) } }
        let cancelled = state.withLock { state -> Bool in
            guard state.inFlight[id] != nil else { return false }
            state.inFlight[id]?.task = task
            return state.inFlight[id]?.cancelled ?? false
        }
        if cancelled { task.cancel() }
    }

    private func complete(_ id: RequestID, with work: @Sendable () async -> Result<JSONValue, JSONRPCError>) async {
        let outcome = await work()
        let entry = state.withLock { $0.inFlight.removeValue(forKey: id) }
        let cancelled = entry?.cancelled ?? false
        if !cancelled {
            writer.write(.response(Response(id: id, outcome: outcome)))
        }
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.running -= 1
            guard state.running == 0, state.inputFinished else { return nil }
            defer { state.idleWaiter = nil }
            return state.idleWaiter
        }
        if entry?.holdsSlot ?? true { slots.signal() }
        waiter?.resume()
    }
}
