import ControlEndpoints
import JSON
import Logging

/// The Pulse server's action lifecycle over HTTP (`PULSE_API.md` §4.1): the ``PulseLifecycle`` the
/// dispatcher's `pulse` route sends its calls through.
///
/// Every call but `execute` goes through the client the sync uses (same token, organisation, trust,
/// retries and timeout). `execute` blocks until Pulse's executor returns, which for a guest shutdown
/// can be minutes, so it has a client of its own whose request timeout is the execute deadline.
/// Retries follow ``PulseHTTPClient``'s rule: a call that changes something (decision, execute,
/// refresh) is sent again only when the connection failed before it could have been sent.
///
/// What Pulse answers is handed back whatever its status, with the token removed from the text
/// first (an error body that echoes a request must not carry it into a message).
package struct PulseActions: PulseLifecycle {
    let client: PulseHTTPClient
    let executeClient: PulseHTTPClient
    /// How long `execute` may block.
    package let executeDeadline: Duration

    /// - Parameters:
    ///   - client: the sync's client (not shut down by ``shutdown()``).
    ///   - executeDeadline: how long `execute` may take (180 s is enough for a guest shutdown).
    /// - Throws: ``PulseError/invalidConfiguration(reason:)`` as ``PulseHTTPClient`` does.
    package init(client: PulseHTTPClient, executeDeadline: Duration = .seconds(180), logger: Logger) throws(PulseError) {
        self.client = client
        self.executeDeadline = executeDeadline
        var configuration = client.configuration
        configuration.requestTimeout = executeDeadline
        executeClient = try PulseHTTPClient(configuration: configuration, logger: logger)
    }

    /// Releases the execute client; the sync's client is its owner's to shut down.
    package func shutdown() async {
        await executeClient.shutdown()
    }

    package func send(_ call: PulseCall) async -> PulseAnswer {
        let request = Self.request(for: call)
        let http = if case .execute = call { executeClient } else { client }
        do {
            let response = try await http.send(request)
            let text = redacted(String(decoding: response.body, as: UTF8.self))
            return .answered(status: response.status, body: try? JSONParser.parse(text), text: text)
        } catch {
            return answer(for: error, call: call)
        }
    }

    /// The HTTP request of `call`: ids as single path segments, bodies as given.
    static func request(for call: PulseCall) -> PulseRequest {
        func segment(_ id: String) -> String { PulseRequest.encode(id) }
        switch call {
        case .resource(let id):
            return .get("/api/resources/\(segment(id))")
        case .plan(let body):
            return PulseRequest(method: .post, path: "/api/actions/plan", body: body, isIdempotent: true)
        case .decide(let id, let body):
            return PulseRequest(method: .post, path: "/api/actions/\(segment(id))/decision", body: body, isIdempotent: false)
        case .execute(let id, let body):
            return PulseRequest(method: .post, path: "/api/actions/\(segment(id))/execute", body: body, isIdempotent: false)
        case .detail(let id):
            return .get("/api/actions/\(segment(id))")
        case .refresh(let id, let body):
            return PulseRequest(method: .post, path: "/api/actions/\(segment(id))/refresh", body: body, isIdempotent: false)
        case .list(let view):
            return .get("/api/actions", [.init("view", view), .init("limit", "500")])
        }
    }

    /// A transport failure as the dispatcher needs it: could the call have reached Pulse?
    ///
    /// A timeout or a dropped connection may have: Pulse keeps an execute going without its client.
    /// ``PulseHTTPClient`` reports a refused connection and a dropped one alike (`unreachable`), so for
    /// a call that changes something either counts as lost, and Pulse is asked what happened.
    private func answer(for error: PulseError, call: PulseCall) -> PulseAnswer {
        let reason = redacted(error.description)
        switch error {
        case .timeout, .cancelled:
            return .lost(reason: reason)
        case .unreachable:
            return call.isIdempotent ? .notSent(reason: reason) : .lost(reason: reason)
        case .unauthorized, .forbidden, .paymentRequired, .http, .tls, .malformedEnvelope, .responseTooLarge,
             .invalidConfiguration:
            return .notSent(reason: reason)
        }
    }

    private func redacted(_ text: String) -> String {
        client.configuration.token?.redacting(text) ?? text
    }
}
