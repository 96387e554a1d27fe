import JSON
import Testing
@testable import PulseClient

@Suite("PulseError: messages for people, codes for machines, never the token")
struct PulseErrorTests {
    static let secret = "pulse-token-9f8e7d6c5b4a"

    /// One of every case, with server text that echoes the token where a server could.
    static var everyCase: [PulseError] {
        let token = PulseToken(secret)
        let echoed = Array(#"{"error":"bad_token","message":"token \#(secret) is not valid"}"#.utf8)
        return [
            .response(status: 401, body: echoed, route: "/api/resources", token: token),
            .response(status: 403, body: Array(#"{"error":"missing_scope","requiredScope":"monitoring:read"}"#.utf8), route: "/api/resources", token: token),
            .response(status: 403, body: echoed, route: "/api/resources", token: token),
            .response(status: 402, body: Array(#"{"error":"license","message":"range 30d needs Pro; \#(secret)"}"#.utf8), route: "/h", token: token),
            .response(status: 500, body: Array("internal error for \(secret)\nsecond line".utf8), route: "/api/alerts/active", token: token),
            .response(status: 409, body: echoed, route: "/api/actions/plan", token: token),
            .unreachable(baseURL: "http://127.0.0.1:1", reason: "connection refused"),
            .timeout(route: "/api/resources?page=2", seconds: 1.5),
            .tls(baseURL: "https://127.0.0.1:8443", reason: "the server's certificate is not trusted"),
            .malformedEnvelope(route: "/api/resources?page=1", reason: "it has no \"meta\" object"),
            .responseTooLarge(route: "/api/resources?page=1", limitBytes: 64 << 20),
            .invalidConfiguration(reason: "the Pulse URL must start with http:// or https://"),
            .cancelled,
        ]
    }

    @Test func noDescriptionContainsTheToken() {
        for error in Self.everyCase {
            #expect(!error.description.contains(Self.secret), "\(error.code)")
            #expect(!String(reflecting: error).contains(Self.secret), "\(error.code)")
        }
    }

    @Test func everyDescriptionIsOneSentence() {
        for error in Self.everyCase {
            #expect(error.description.hasSuffix("."), "\(error.description)")
            #expect(!error.description.contains("\n"), "\(error.description)")
        }
    }

    @Test func codesAreStableAndDistinct() {
        let codes = Self.everyCase.map(\.code)
        #expect(Set(codes) == [
            "pulse_unauthorized", "pulse_forbidden", "pulse_payment_required", "pulse_http_error", "pulse_unreachable",
            "pulse_timeout", "pulse_tls", "pulse_malformed_envelope", "pulse_response_too_large",
            "pulse_invalid_configuration", "pulse_cancelled",
        ])
    }

    @Test func aMissingScopeIsNamed() {
        let error = PulseError.response(
            status: 403, body: Array(#"{"error":"missing_scope","requiredScope":"monitoring:read"}"#.utf8),
            route: "/api/resources?limit=100&page=1&sort=name", token: nil
        )
        #expect(
            error.description
                == "Pulse refused /api/resources?limit=100&page=1&sort=name (403 missing_scope): the API token lacks the scope "
                + "monitoring:read; mint one that has it in Pulse under Settings → Security → API Tokens."
        )
        let either = PulseError.forbidden(route: "/p", requiredScopes: ["actions:plan", "ai:execute"], code: "missing_scope", message: nil)
        #expect(either.description.contains("needs one of the scopes actions:plan, ai:execute"))
    }

    @Test func serverTextIsRedactedAndCutToOneLine() {
        let error = PulseError.response(
            status: 500, body: Array("boom \(Self.secret)\nstack trace".utf8), route: "/r", token: PulseToken(Self.secret)
        )
        #expect(error == .http(route: "/r", status: 500, code: nil, message: "boom <redacted> stack trace"))
        let long = PulseError.response(status: 502, body: Array(String(repeating: "x", count: 500).utf8), route: "/r", token: nil)
        guard case .http(_, _, _, let message?) = long else {
            Issue.record("expected an http error with a message")
            return
        }
        #expect(message.count == PulseError.maximumMessageLength + 1)
    }

    @Test func theStatusIsKept() {
        #expect(PulseError.unauthorized(route: "/r").status == 401)
        #expect(PulseError.paymentRequired(route: "/r", message: nil).status == 402)
        #expect(PulseError.http(route: "/r", status: 503, code: nil, message: nil).status == 503)
        #expect(PulseError.cancelled.status == nil)
    }
}

@Suite("PulseToken and PulseConfiguration never show the token")
struct PulseTokenTests {
    @Test func aTokenPrintsRedactedEverywhere() {
        let token = PulseToken("  \(PulseErrorTests.secret)\n")
        #expect(token?.value == PulseErrorTests.secret)
        #expect("\(String(describing: token))".contains("<redacted>"))
        #expect(!"\(String(describing: token))".contains(PulseErrorTests.secret))
        #expect(!String(reflecting: token).contains(PulseErrorTests.secret))
        var dumped = ""
        dump(token, to: &dumped)
        #expect(!dumped.contains(PulseErrorTests.secret))
        #expect(PulseToken(" \n") == nil)
    }

    @Test func aConfigurationPrintsWithoutTheToken() {
        let configuration = PulseConfiguration(baseURL: "https://pulse.lan:7655", token: PulseToken(PulseErrorTests.secret), orgID: "acme")
        for text in [configuration.description, String(reflecting: configuration), "\(configuration)"] {
            #expect(!text.contains(PulseErrorTests.secret))
        }
        var dumped = ""
        dump(configuration, to: &dumped)
        #expect(!dumped.contains(PulseErrorTests.secret))
    }

    @Test func backoffDoublesFromItsBase() {
        let configuration = PulseConfiguration(baseURL: "http://x", token: nil)
        #expect(configuration.backoff(beforeRetry: 0) == .milliseconds(500))
        #expect(configuration.backoff(beforeRetry: 1) == .seconds(1))
        #expect(configuration.backoff(beforeRetry: 2) == .seconds(2))
    }

    @Test(arguments: [
        ("https://pulse.lan:7655/", "https://pulse.lan:7655"), ("http://127.0.0.1:7655", "http://127.0.0.1:7655"),
        ("https://proxy.lan/pulse//", "https://proxy.lan/pulse"),
    ])
    func baseURLsAreNormalised(_ given: String, _ base: String) throws {
        #expect(try PulseHTTPClient.validatedBase(given) == base)
    }

    @Test(arguments: ["pulse.lan:7655", "ftp://pulse.lan", "https://", "https://user:pw@pulse.lan", "https://pulse.lan/?x=1"])
    func badBaseURLsAreRefused(_ given: String) {
        #expect(throws: PulseError.self) { try PulseHTTPClient.validatedBase(given) }
    }

    @Test func queryValuesArePercentEncoded() {
        let request = PulseRequest.get("/api/metrics-store/history", [.init("resourceId", "pve-lab:pve1:101/a&b c")])
        #expect(request.route == "/api/metrics-store/history?resourceId=pve-lab%3Apve1%3A101%2Fa%26b%20c")
    }
}
