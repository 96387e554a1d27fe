#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension LineSocket {
    /// Connects to `address` before `deadline`, trying each resolved address of a TCP host in turn.
    ///
    /// Blocking (name resolution included): call it from a dedicated thread.
    /// - Throws: the last ``SocketError``: `connection refused`, `no such socket file`, `timed out`, …
    static func connect(
        to address: EndpointAddress,
        deadline: Deadline,
        maximumLineLength: Int = ControlProtocol.maximumLineLength
    ) throws(SocketError) -> LineSocket {
        let candidates: [SocketAddress] = switch address {
        case .unix(let path): [try SocketAddress.unix(path: path)]
        case .tcp(let host, let port): try SocketAddress.ipv4(host: host, port: port)
        }
        var lastError = SocketError.system(errno: ECONNREFUSED)
        for candidate in candidates {
            do {
                let descriptor = try connect(candidate, deadline: deadline)
                return LineSocket(descriptor: descriptor, maximumLineLength: maximumLineLength)
            } catch {
                lastError = error
                if error == .timedOut { break }
            }
        }
        throw lastError
    }

    /// One non-blocking `connect(2)`, waited on with `poll(2)`; the connected descriptor.
    private static func connect(_ address: SocketAddress, deadline: Deadline) throws(SocketError) -> Int32 {
        let descriptor = socket(address.family, POSIX.streamSocketType, 0)
        guard descriptor >= 0 else { throw .system(errno: errno) }
        guard POSIX.makeNonBlocking(descriptor) else {
            let code = errno
            POSIX.closeDescriptor(descriptor)
            throw .system(errno: code)
        }
        POSIX.suppressSIGPIPE(descriptor)
        let status = address.withSocketAddress { systemConnect(descriptor, $0, $1) }
        if status == 0 { return descriptor }
        let startError = errno
        // An interrupted connect goes on in the background: it is waited for like one in progress.
        guard startError == EINPROGRESS || startError == EINTR else {
            POSIX.closeDescriptor(descriptor)
            throw .system(errno: startError)
        }
        switch POSIX.wait(for: descriptor, events: Int16(POLLOUT), deadline: deadline) {
        case .ready:
            var code: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            if getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &code, &length) != 0 { code = errno }
            guard code == 0 else {
                POSIX.closeDescriptor(descriptor)
                throw .system(errno: code)
            }
            return descriptor
        case .timedOut, .stopped:
            POSIX.closeDescriptor(descriptor)
            throw .timedOut
        case .failed(let code):
            POSIX.closeDescriptor(descriptor)
            throw .system(errno: code)
        }
    }
}

/// The C `connect(2)`, out of reach of the static `connect` overloads above.
private func systemConnect(_ descriptor: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> Int32 {
    connect(descriptor, address, length)
}
