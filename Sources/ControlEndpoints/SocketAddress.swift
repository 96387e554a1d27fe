#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A resolved socket address, in the form `connect(2)` and `bind(2)` take.
struct SocketAddress: Sendable {
    let family: Int32
    private let storage: sockaddr_storage
    private let length: socklen_t

    /// Copies `length` bytes of an address the system gave.
    private init(family: Int32, copying address: UnsafeRawPointer, length: Int) {
        var storage = sockaddr_storage()
        let count = min(length, MemoryLayout<sockaddr_storage>.size)
        withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: UnsafeRawBufferPointer(start: address, count: count)) }
        self.family = family
        self.storage = storage
        self.length = socklen_t(count)
    }

    /// The address of a Unix socket file.
    static func unix(path: String) throws(SocketError) -> SocketAddress {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else { throw .system(errno: ENAMETOOLONG) }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
        }
        return withUnsafePointer(to: &address) { pointer in
            SocketAddress(family: AF_UNIX, copying: UnsafeRawPointer(pointer), length: MemoryLayout<sockaddr_un>.size)
        }
    }

    /// The IPv4 addresses `host` resolves to, for `port`; `localhost` and dotted quads resolve without DNS.
    static func ipv4(host: String, port: UInt16) throws(SocketError) -> [SocketAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_INET
        hints.ai_socktype = POSIX.streamSocketType
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0 else {
            let reason = gai_strerror(status).map { String(cString: $0) } ?? "error \(status)"
            throw .unresolved(host: host, reason: reason.prefix(1).lowercased() + reason.dropFirst())
        }
        defer { freeaddrinfo(list) }
        var addresses: [SocketAddress] = []
        var next = list
        while let entry = next?.pointee {
            if let raw = entry.ai_addr {
                addresses.append(SocketAddress(family: entry.ai_family, copying: raw, length: Int(entry.ai_addrlen)))
            }
            next = entry.ai_next
        }
        guard !addresses.isEmpty else { throw .unresolved(host: host, reason: "no IPv4 address") }
        return addresses
    }

    /// Calls `body` with the address as a `sockaddr` pointer and its length.
    func withSocketAddress<T>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> T) -> T {
        withUnsafePointer(to: storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, length) }
        }
    }
}
