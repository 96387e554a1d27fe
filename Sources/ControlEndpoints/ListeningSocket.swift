#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A bound, listening stream socket; a Unix one owns its socket file.
///
/// Listening on a Unix path removes a stale socket file first (one nobody
/// answers on) but never a live one or anything that is not a socket. The
/// file is created mode 0600 and removed on ``close()``, if it is still the
/// one this listener created.
final class ListeningSocket: Sendable {
    let descriptor: Int32
    /// The address as bound: a TCP port 0 is replaced by the port the system picked.
    let address: EndpointAddress
    /// The socket file and its device and inode, for a Unix listener.
    private let socketFile: (path: String, device: UInt64, inode: UInt64)?
    private let closed = Atomic(false)

    private init(descriptor: Int32, address: EndpointAddress, socketFile: (path: String, device: UInt64, inode: UInt64)?) {
        self.descriptor = descriptor
        self.address = address
        self.socketFile = socketFile
    }

    deinit {
        close()
    }

    /// Stops listening and removes the socket file. Safe to call more than once.
    func close() {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        POSIX.closeDescriptor(descriptor)
        if let socketFile, let identity = Self.identity(of: socketFile.path),
           identity.device == socketFile.device, identity.inode == socketFile.inode {
            unlink(socketFile.path)
        }
    }

    // MARK: - Listening

    static func listen(on address: EndpointAddress, backlog: Int32 = 128) throws(ReferenceEndpointError) -> ListeningSocket {
        switch address {
        case .unix(let path): try listenUnix(address, path: path, backlog: backlog)
        case .tcp(let host, let port): try listenTCP(address, host: host, port: port, backlog: backlog)
        }
    }

    private static func listenUnix(_ address: EndpointAddress, path: String, backlog: Int32) throws(ReferenceEndpointError) -> ListeningSocket {
        try removeStaleSocketFile(address, path: path)
        let socketAddress: SocketAddress
        do {
            socketAddress = try SocketAddress.unix(path: path)
        } catch {
            throw .listen(address, error.description)
        }
        let descriptor = try bound(address, to: socketAddress)
        chmod(path, 0o600)
        guard systemListen(descriptor, backlog) == 0, POSIX.makeNonBlocking(descriptor) else {
            let reason = POSIX.describe(errno)
            POSIX.closeDescriptor(descriptor)
            unlink(path)
            throw .listen(address, reason)
        }
        guard let identity = identity(of: path) else {
            POSIX.closeDescriptor(descriptor)
            throw .listen(address, "the socket file vanished after it was created")
        }
        return ListeningSocket(descriptor: descriptor, address: address, socketFile: (path, identity.device, identity.inode))
    }

    private static func listenTCP(_ address: EndpointAddress, host: String, port: UInt16, backlog: Int32) throws(ReferenceEndpointError) -> ListeningSocket {
        let candidates: [SocketAddress]
        do {
            candidates = try SocketAddress.ipv4(host: host, port: port)
        } catch {
            throw .listen(address, error.description)
        }
        guard let first = candidates.first else { throw .listen(address, "no IPv4 address") }
        let descriptor = try bound(address, to: first)
        guard systemListen(descriptor, backlog) == 0, POSIX.makeNonBlocking(descriptor) else {
            let reason = POSIX.describe(errno)
            POSIX.closeDescriptor(descriptor)
            throw .listen(address, reason)
        }
        var bound = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &bound) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else {
            let reason = POSIX.describe(errno)
            POSIX.closeDescriptor(descriptor)
            throw .listen(address, reason)
        }
        return ListeningSocket(descriptor: descriptor, address: .tcp(host: host, port: UInt16(bigEndian: bound.sin_port)), socketFile: nil)
    }

    /// A new socket bound to `socketAddress` (TCP with `SO_REUSEADDR`, so a restart need not wait out TIME_WAIT).
    private static func bound(_ address: EndpointAddress, to socketAddress: SocketAddress) throws(ReferenceEndpointError) -> Int32 {
        let descriptor = socket(socketAddress.family, POSIX.streamSocketType, 0)
        guard descriptor >= 0 else { throw .listen(address, POSIX.describe(errno)) }
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        var on: Int32 = 1
        if socketAddress.family != AF_UNIX {
            _ = setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        }
        let status = socketAddress.withSocketAddress { bind(descriptor, $0, $1) }
        guard status == 0 else {
            let code = errno
            POSIX.closeDescriptor(descriptor)
            if code == EADDRINUSE { throw .inUse(address) }
            throw .listen(address, POSIX.describe(code))
        }
        return descriptor
    }

    /// Removes a socket file nobody answers on; refuses a live one and anything that is not a socket.
    private static func removeStaleSocketFile(_ address: EndpointAddress, path: String) throws(ReferenceEndpointError) {
        var status = stat()
        guard lstat(path, &status) == 0 else { return }
        guard status.st_mode & S_IFMT == S_IFSOCK else { throw .notASocket(address, path: path) }
        let probe: SocketError?
        do {
            _ = try LineSocket.connect(to: address, deadline: .after(.seconds(1)))
            probe = nil
        } catch {
            probe = error
        }
        switch probe {
        case nil:
            throw .inUse(address)
        case .system(errno: ECONNREFUSED)?:
            // Nobody accepts on it: a previous endpoint died without cleaning up.
            unlink(path)
        case let error?:
            throw .listen(address, "cannot tell whether the existing socket file is in use (\(error))")
        }
    }

    private static func identity(of path: String) -> (device: UInt64, inode: UInt64)? {
        var status = stat()
        guard lstat(path, &status) == 0 else { return nil }
        return (UInt64(status.st_dev), UInt64(status.st_ino))
    }

    // MARK: - Accepting

    enum AcceptResult: Equatable {
        case connection(Int32)
        case stopped
        case failed(SocketError)
    }

    /// Waits for the next connection, or for `stop`.
    func accept(stop: StopSignal) -> AcceptResult {
        while true {
            switch POSIX.wait(for: descriptor, events: Int16(POLLIN), deadline: .never, stop: stop) {
            case .ready: break
            case .timedOut: continue
            case .stopped: return .stopped
            case .failed(let code): return .failed(.system(errno: code))
            }
            let connection = systemAccept(descriptor)
            if connection >= 0 { return .connection(connection) }
            switch errno {
            case EINTR, EAGAIN, EWOULDBLOCK, ECONNABORTED, EPROTO:
                continue
            case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                // Out of descriptors or memory: pause rather than spin until a connection ends.
                if stop.wait(until: .after(.milliseconds(100))) { return .stopped }
            default:
                return .failed(.system(errno: errno))
            }
        }
    }
}

/// The C calls, out of reach of this file's methods of the same names.
private func systemListen(_ descriptor: Int32, _ backlog: Int32) -> Int32 {
    listen(descriptor, backlog)
}

private func systemAccept(_ descriptor: Int32) -> Int32 {
    accept(descriptor, nil, nil)
}
