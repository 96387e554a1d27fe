#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a socket step failed, phrased to sit inside a sentence ("could not connect to …: connection refused").
enum SocketError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A system call failed with `errno`.
    case system(errno: Int32)
    /// The host name did not resolve (the `getaddrinfo` message).
    case unresolved(host: String, reason: String)
    case timedOut
    /// The server is stopping.
    case stopped
    /// The peer closed the connection.
    case closed

    var description: String {
        switch self {
        case .system(let code):
            switch code {
            case ECONNREFUSED: "connection refused"
            case ENOENT: "no such socket file"
            case EACCES, EPERM: "permission denied"
            case EHOSTUNREACH: "host unreachable"
            case ENETUNREACH: "network unreachable"
            case ETIMEDOUT: "timed out"
            case ECONNRESET: "connection reset by the endpoint"
            case EPIPE: "the endpoint closed the connection"
            case EAGAIN: "the endpoint is not accepting connections (its backlog is full)"
            default: POSIX.describe(code)
            }
        case .unresolved(let host, let reason): "cannot resolve \(host): \(reason)"
        case .timedOut: "timed out"
        case .stopped: "the server is stopping"
        case .closed: "the endpoint closed the connection"
        }
    }
}
