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

/// A connected stream socket, read and written one line at a time, every step bounded by a deadline.
///
/// The descriptor is non-blocking: each wait is one `poll(2)` with the time
/// left (and the server's ``StopSignal``), then one `recv`/`send`. Lines go
/// through JSONRPC's ``LineFramer``, so a peer that never sends a newline
/// costs at most `maximumLineLength` bytes of memory. Writes use
/// `MSG_NOSIGNAL`: a closed peer is an `EPIPE` error, never a SIGPIPE.
///
/// Blocking: call it from a dedicated thread, never from Swift's cooperative
/// pool. One thread uses a socket at a time; the lock only makes the hand-over
/// between threads safe.
final class LineSocket: Sendable {
    private struct State {
        var descriptor: Int32
        var framer: LineFramer
        var endOfStream = false
    }

    private let state: Mutex<State>

    /// Takes ownership of a connected descriptor; it is closed by ``close()`` or when the socket goes away.
    init(descriptor: Int32, maximumLineLength: Int = ControlProtocol.maximumLineLength) {
        _ = POSIX.makeNonBlocking(descriptor)
        POSIX.suppressSIGPIPE(descriptor)
        state = Mutex(State(descriptor: descriptor, framer: LineFramer(maximumLineLength: maximumLineLength)))
    }

    deinit {
        close()
    }

    /// Closes the connection; later reads report `.closed` and writes fail. Safe to call more than once.
    func close() {
        let descriptor = state.withLock { state in
            defer { state.descriptor = -1 }
            return state.descriptor
        }
        if descriptor >= 0 { POSIX.closeDescriptor(descriptor) }
    }

    // MARK: - Reading

    enum ReadResult: Sendable, Equatable {
        case line([UInt8])
        /// A line over the limit, dropped.
        case oversized(byteCount: Int)
        /// The peer closed its side; an unterminated last line is not a message and is dropped.
        case closed
        case timedOut
        case stopped
        case failed(SocketError)
    }

    /// The next line, waiting for it until `deadline`.
    func readLine(deadline: Deadline, stop: StopSignal? = nil) -> ReadResult {
        while true {
            let (frame, descriptor, ended) = state.withLock { state in
                (state.framer.nextFrame(), state.descriptor, state.endOfStream)
            }
            switch frame {
            case .line(let bytes)?: return .line(bytes)
            case .oversized(let count)?: return .oversized(byteCount: count)
            case nil: break
            }
            if ended || descriptor < 0 { return .closed }
            switch POSIX.wait(for: descriptor, events: Int16(POLLIN), deadline: deadline, stop: stop) {
            case .ready: break
            case .timedOut: return .timedOut
            case .stopped: return .stopped
            case .failed(let code): return .failed(.system(errno: code))
            }
            if let failure = receive(from: descriptor) { return failure }
        }
    }

    /// One `recv` into the framer; a result only when the read ends the stream or fails.
    private func receive(from descriptor: Int32) -> ReadResult? {
        withUnsafeTemporaryAllocation(byteCount: 16 * 1024, alignment: 1) { buffer -> ReadResult? in
            guard let base = buffer.baseAddress else { return .failed(.system(errno: EINVAL)) }
            let count = recv(descriptor, base, buffer.count, 0)
            if count > 0 {
                let bytes = UnsafeRawBufferPointer(start: base, count: count)
                state.withLock { $0.framer.append(bytes) }
                return nil
            }
            if count == 0 {
                state.withLock { $0.endOfStream = true }
                return nil
            }
            switch errno {
            case EINTR, EAGAIN, EWOULDBLOCK: return nil
            case ECONNRESET:
                state.withLock { $0.endOfStream = true }
                return nil
            default: return .failed(.system(errno: errno))
            }
        }
    }

    // MARK: - Writing

    /// How a write ended; on failure, how many bytes had gone out (so a caller knows whether anything was sent).
    enum WriteResult: Sendable, Equatable {
        case sent
        case failed(SocketError, bytesSent: Int)
    }

    /// Sends one message as one line.
    func send(_ message: Message, deadline: Deadline, stop: StopSignal? = nil) -> WriteResult {
        var line = JSONSerializer.bytes(message.jsonValue)
        line.append(UInt8(ascii: "\n"))
        return sendBytes(line, deadline: deadline, stop: stop)
    }

    /// Sends raw bytes: whole, or not at all within the deadline.
    func sendBytes(_ bytes: [UInt8], deadline: Deadline, stop: StopSignal? = nil) -> WriteResult {
        let descriptor = state.withLock { $0.descriptor }
        guard descriptor >= 0 else { return .failed(.closed, bytesSent: 0) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                sendWithoutSignal(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
            }
            if written >= 0 {
                offset += written
                continue
            }
            switch errno {
            case EINTR:
                continue
            case EAGAIN, EWOULDBLOCK:
                switch POSIX.wait(for: descriptor, events: Int16(POLLOUT), deadline: deadline, stop: stop) {
                case .ready: continue
                case .timedOut: return .failed(.timedOut, bytesSent: offset)
                case .stopped: return .failed(.stopped, bytesSent: offset)
                case .failed(let code): return .failed(.system(errno: code), bytesSent: offset)
                }
            default:
                return .failed(.system(errno: errno), bytesSent: offset)
            }
        }
        return .sent
    }
}

/// `send(2)` without SIGPIPE.
private func sendWithoutSignal(_ descriptor: Int32, _ base: UnsafeRawPointer?, _ count: Int) -> Int {
    send(descriptor, base, count, POSIX.sendFlags)
}
