import ControlEndpoints
import Testing

struct EndpointAddressTests {
    static let valid: [(String, EndpointAddress)] = [
        ("unix:/run/pulse/agent.sock", .unix(path: "/run/pulse/agent.sock")),
        ("unix:relative.sock", .unix(path: "relative.sock")),
        ("unix:/path:with:colons", .unix(path: "/path:with:colons")),
        ("tcp:127.0.0.1:7400", .tcp(host: "127.0.0.1", port: 7400)),
        ("tcp:localhost:1", .tcp(host: "localhost", port: 1)),
        ("tcp:agent.example:65535", .tcp(host: "agent.example", port: 65535)),
        ("tcp:127.0.0.1:0", .tcp(host: "127.0.0.1", port: 0)),
    ]

    @Test(arguments: valid)
    func parsesAndPrintsBack(_ text: String, _ expected: EndpointAddress) throws {
        let address = try EndpointAddress(parsing: text)
        #expect(address == expected)
        #expect(address.description == text)
    }

    static let invalid: [(String, EndpointAddressError, String)] = [
        ("", .empty, "empty"),
        ("/run/agent.sock", .missingScheme("/run/agent.sock"), "no scheme"),
        ("http://agent:80", .unknownScheme("http"), "unknown scheme 'http'"),
        ("unix:", .emptyPath, "needs a socket path"),
        ("unix:/" + String(repeating: "a", count: 107), .pathTooLong(byteCount: 108), "at most 107"),
        ("tcp:", .missingHost, "needs a host and a port"),
        ("tcp::7400", .missingHost, "needs a host and a port"),
        ("tcp:127.0.0.1", .missingPort(host: "127.0.0.1"), "needs a port"),
        ("tcp:127.0.0.1:", .missingPort(host: "127.0.0.1"), "needs a port"),
        ("tcp:127.0.0.1:http", .badPort("http"), "not a port"),
        ("tcp:127.0.0.1:65536", .badPort("65536"), "0 to 65535"),
        ("tcp:127.0.0.1:-1", .badPort("-1"), "not a port"),
        ("tcp:127.0.0.1:+80", .badPort("+80"), "not a port"),
        ("tcp:[::1]:80", .ipv6Unsupported("[::1]"), "IPv6"),
        ("tcp:my host:80", .badHost("my host"), "not a host name"),
    ]

    @Test(arguments: invalid)
    func rejectsWithAClearMessage(_ text: String, _ expected: EndpointAddressError, _ phrase: String) {
        #expect(throws: expected) { try EndpointAddress(parsing: text) }
        #expect(expected.description.contains(phrase))
    }
}
