#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Small spellings of the C calls whose names or constants differ across libcs.
enum POSIX {
    #if canImport(Glibc)
    static let streamSocketType = Int32(SOCK_STREAM.rawValue)
    #else
    static let streamSocketType = SOCK_STREAM
    #endif

    /// Flags for `send(2)`: never raise SIGPIPE on a closed peer (Darwin sets `SO_NOSIGPIPE` on the socket instead).
    #if canImport(Darwin)
    static let sendFlags: Int32 = 0
    #else
    static let sendFlags = Int32(MSG_NOSIGNAL)
    #endif

    static func closeDescriptor(_ descriptor: Int32) {
        #if canImport(Darwin)
        _ = Darwin.close(descriptor)
        #elseif canImport(Musl)
        _ = Musl.close(descriptor)
        #else
        _ = Glibc.close(descriptor)
        #endif
    }

    /// Marks a descriptor close-on-exec and non-blocking; every wait then goes through `poll(2)`.
    static func makeNonBlocking(_ descriptor: Int32) -> Bool {
        let flags = fcntl(descriptor, F_GETFL)
        guard flags >= 0, fcntl(descriptor, F_SETFL, flags | O_NONBLOCK) == 0 else { return false }
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        return true
    }

    /// Keeps a write to a closed peer an `EPIPE` error rather than a fatal signal, on systems that need a socket option for it.
    static func suppressSIGPIPE(_ descriptor: Int32) {
        #if canImport(Darwin)
        var on: Int32 = 1
        _ = setsockopt(descriptor, SOL_SOCKET, SO_NOSIGPIPE, &on, socklen_t(MemoryLayout<Int32>.size))
        #endif
    }

    /// `strerror`, starting lower-case so it reads inside a sentence.
    static func describe(_ code: Int32) -> String {
        let text = strerror(code).map { String(cString: $0) } ?? "error \(code)"
        return text.prefix(1).lowercased() + text.dropFirst()
    }

    /// Waits until `descriptor` is ready for `events`, the deadline passes, or `stop` is signalled.
    static func wait(
        for descriptor: Int32,
        events: Int16,
        deadline: Deadline,
        stop: StopSignal? = nil
    ) -> WaitResult {
        while true {
            var descriptors = [pollfd(fd: descriptor, events: events, revents: 0)]
            if let stop {
                descriptors.append(pollfd(fd: stop.readDescriptor, events: Int16(POLLIN), revents: 0))
            }
            let ready = poll(&descriptors, nfds_t(descriptors.count), deadline.pollTimeout)
            if ready < 0 {
                if errno == EINTR { continue }
                return .failed(errno: errno)
            }
            if descriptors.count > 1, descriptors[1].revents != 0 { return .stopped }
            // Errors and hang-ups count as ready: the read or write that follows reports them.
            if descriptors[0].revents != 0 { return .ready }
            if deadline.hasPassed { return .timedOut }
        }
    }

    enum WaitResult: Equatable {
        case ready
        case timedOut
        case stopped
        case failed(errno: Int32)
    }
}
