/// Where a control endpoint listens: a Unix socket path or a TCP host and port.
///
/// ```
/// unix:/run/pulse/agent.sock     → .unix(path: "/run/pulse/agent.sock")
/// tcp:127.0.0.1:7400             → .tcp(host: "127.0.0.1", port: 7400)
/// tcp:localhost:7400             → .tcp(host: "localhost", port: 7400)
/// ```
///
/// TCP hosts are IPv4 addresses or names that resolve to one (`localhost`);
/// IPv6 literals are not supported. Port 0 parses, for listening on a port
/// the system picks; connecting to it fails.
package enum EndpointAddress: Sendable, Hashable {
    case unix(path: String)
    case tcp(host: String, port: UInt16)

    /// The longest Unix socket path, in bytes: `sun_path` holds 108 bytes with the terminating NUL.
    package static let maximumUnixPathLength = 107

    /// Parses `unix:PATH` or `tcp:HOST:PORT`.
    ///
    /// - Throws: ``EndpointAddressError`` saying what is missing or wrong.
    package init(parsing text: String) throws(EndpointAddressError) {
        guard !text.isEmpty else { throw .empty }
        guard let colon = text.firstIndex(of: ":") else { throw .missingScheme(text) }
        let scheme = String(text[..<colon])
        let rest = String(text[text.index(after: colon)...])
        switch scheme {
        case "unix":
            guard !rest.isEmpty else { throw .emptyPath }
            guard rest.utf8.count <= Self.maximumUnixPathLength else { throw .pathTooLong(byteCount: rest.utf8.count) }
            guard !rest.utf8.contains(0) else { throw .badPath }
            self = .unix(path: rest)
        case "tcp":
            self = try Self.parseTCP(rest)
        default:
            throw .unknownScheme(scheme)
        }
    }

    private static func parseTCP(_ rest: String) throws(EndpointAddressError) -> EndpointAddress {
        guard let colon = rest.lastIndex(of: ":") else {
            if rest.isEmpty { throw .missingHost }
            throw .missingPort(host: rest)
        }
        let host = String(rest[..<colon])
        let portText = String(rest[rest.index(after: colon)...])
        guard !host.isEmpty else { throw .missingHost }
        guard !host.contains(":"), !host.hasPrefix("[") else { throw .ipv6Unsupported(host) }
        guard !host.contains(where: \.isWhitespace) else { throw .badHost(host) }
        guard !portText.isEmpty else { throw .missingPort(host: host) }
        guard portText.allSatisfy(\.isASCII), portText.allSatisfy(\.isNumber), let port = UInt16(portText) else {
            throw .badPort(portText)
        }
        return .tcp(host: host, port: port)
    }
}

extension EndpointAddress: CustomStringConvertible {
    /// The address as it parses: `unix:PATH` or `tcp:HOST:PORT`.
    package var description: String {
        switch self {
        case .unix(let path): "unix:\(path)"
        case .tcp(let host, let port): "tcp:\(host):\(port)"
        }
    }
}
