/// Why a string is not an ``EndpointAddress``.
package enum EndpointAddressError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case missingScheme(String)
    case unknownScheme(String)
    case emptyPath
    case pathTooLong(byteCount: Int)
    case badPath
    case missingHost
    case badHost(String)
    case ipv6Unsupported(String)
    case missingPort(host: String)
    case badPort(String)

    package var description: String {
        let forms = "use unix:PATH or tcp:HOST:PORT"
        return switch self {
        case .empty:
            "the endpoint address is empty; \(forms)"
        case .missingScheme(let text):
            "'\(text)' has no scheme; \(forms)"
        case .unknownScheme(let scheme):
            "unknown scheme '\(scheme)'; \(forms)"
        case .emptyPath:
            "unix: needs a socket path, as in unix:/run/pulse/agent.sock"
        case .pathTooLong(let count):
            "the socket path is \(count) bytes; a Unix socket path holds at most \(EndpointAddress.maximumUnixPathLength)"
        case .badPath:
            "the socket path contains a NUL byte"
        case .missingHost:
            "tcp: needs a host and a port, as in tcp:127.0.0.1:7400"
        case .badHost(let host):
            "'\(host)' is not a host name"
        case .ipv6Unsupported(let host):
            "IPv6 addresses are not supported ('\(host)'); use an IPv4 address or a host name"
        case .missingPort(let host):
            "tcp:\(host) needs a port, as in tcp:\(host):7400"
        case .badPort(let text):
            "'\(text)' is not a port; a port is a number from 0 to 65535"
        }
    }
}
