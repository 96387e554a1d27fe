import AsyncHTTPClient
import Foundation
import JSON
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL

/// The HTTP side of Pulse: one `HTTPClient` with the configured trust, timeouts and headers, and
/// bounded retries.
///
/// ```
/// GET {baseURL}{path}?{query}
/// X-API-Token: <token>            (when one is configured; never logged)
/// X-Pulse-Org-ID: <orgID>         (when one is configured)
/// Accept: application/json
/// ```
/// A 5xx or a connection failure (refused, dropped, timed out) is tried again up to
/// ``PulseConfiguration/retryCount`` times, waiting `backoffBase × 2^n` through the injected
/// sleeper; a request that is not idempotent is tried again only when the connection failed
/// before it could be sent. 401, 403, other 4xx and TLS failures are answered at once. Redirects
/// are not followed: a redirect would carry the token to wherever it points. Bodies are read up to
/// ``PulseConfiguration/maximumBodyBytes``.
///
/// Call ``shutdown()`` when done: the underlying client holds connections and event-loop resources.
package final class PulseHTTPClient: Sendable {
    package let configuration: PulseConfiguration
    /// The base URL without a trailing `/`.
    let base: String
    private let client: HTTPClient
    private let logger: Logger
    private let sleeper: PulseSleeper

    /// A client for `configuration`.
    /// - Throws: ``PulseError/invalidConfiguration(reason:)`` for a URL that is not http(s) or a CA
    ///   file that cannot be read as PEM certificates.
    package init(
        configuration: PulseConfiguration, logger: Logger = Logger(label: "pulse-assistant.pulse"),
        sleeper: PulseSleeper = .system
    ) throws(PulseError) {
        self.configuration = configuration
        self.base = try Self.validatedBase(configuration.baseURL)
        self.logger = logger
        self.sleeper = sleeper
        var http = HTTPClient.Configuration(
            tlsConfiguration: try Self.tlsConfiguration(configuration),
            redirectConfiguration: .disallow,
            timeout: .init(connect: Self.amount(configuration.connectTimeout), read: Self.amount(configuration.requestTimeout)),
            decompression: .disabled
        )
        // Our retry loop decides; AsyncHTTPClient's own would hold a request until its deadline.
        http.connectionPool.retryConnectionEstablishment = false
        client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: http, backgroundActivityLogger: logger)
        if configuration.insecureSkipVerify {
            logger.warning(
                "TLS certificate verification is off for Pulse (insecureSkipVerify): anyone between here and Pulse can read and change what it sends",
                metadata: ["pulseURL": "\(base)"]
            )
        }
    }

    /// Releases the connections and the client's resources; the client answers nothing afterwards.
    package func shutdown() async {
        do {
            try await client.shutdown()
        } catch {
            logger.debug("Pulse HTTP client shutdown: \(error)")
        }
    }

    // MARK: - Requests

    /// `GET path?query`, and its body when the status is 2xx.
    /// - Throws: ``PulseError`` for any other status (after retries for a 5xx) and for transport failures.
    package func get(_ path: String, query: [PulseRequest.QueryItem] = []) async throws(PulseError) -> PulseResponse {
        try await successful(.get(path, query))
    }

    /// `POST path` with a JSON body, and its answer when the status is 2xx.
    /// - Parameter isIdempotent: whether the call may be sent twice (then a 5xx is retried too).
    package func postJSON(
        _ path: String, body: JSONValue, isIdempotent: Bool = false
    ) async throws(PulseError) -> PulseResponse {
        try await successful(PulseRequest(method: .post, path: path, body: body, isIdempotent: isIdempotent))
    }

    /// Sends `request` with retries and returns the answer whatever its status, so that a caller
    /// can read Pulse's error envelope itself (the control routes' 409s).
    package func send(_ request: PulseRequest) async throws(PulseError) -> PulseResponse {
        let attempts = max(configuration.retryCount, 0) + 1
        var retry = 0
        while true {
            let outcome: Result<PulseResponse, PulseTransportFailure> = await once(request)
            let last = retry + 1 >= attempts
            switch outcome {
            case .success(let response):
                guard response.status >= 500, request.isIdempotent, !last else { return response }
                try await backOff(retry, attempts: attempts, request, because: "HTTP \(response.status)")
            case .failure(let failure):
                guard failure.isRetryable(sent: request.isIdempotent), !last else { throw error(for: failure, request) }
                try await backOff(retry, attempts: attempts, request, because: failure.summary)
            }
            retry += 1
        }
    }

    /// ``send(_:)``, turning a status that is not 2xx into its ``PulseError``.
    func successful(_ request: PulseRequest) async throws(PulseError) -> PulseResponse {
        let response = try await send(request)
        guard response.isSuccess else {
            throw PulseError.response(
                status: response.status, body: response.body, route: response.route, token: configuration.token
            )
        }
        return response
    }

    /// One attempt: the request, its head and its whole (bounded) body.
    private func once(_ request: PulseRequest) async -> Result<PulseResponse, PulseTransportFailure> {
        var http = HTTPClientRequest(url: base + request.route)
        http.method = request.method == .get ? .GET : .POST
        http.headers.add(name: "Accept", value: "application/json")
        http.headers.add(name: "User-Agent", value: "pulse-assistant")
        if let token = configuration.token { http.headers.add(name: "X-API-Token", value: token.value) }
        if let orgID = configuration.orgID { http.headers.add(name: "X-Pulse-Org-ID", value: orgID) }
        if let body = request.body {
            http.headers.add(name: "Content-Type", value: "application/json")
            http.body = .bytes(JSONSerializer.bytes(body))
        }
        do {
            let response = try await client.execute(http, timeout: Self.amount(configuration.requestTimeout), logger: logger)
            let buffer = try await response.body.collect(upTo: configuration.maximumBodyBytes)
            let bytes = buffer.getBytes(at: buffer.readerIndex, length: buffer.readableBytes) ?? []
            logger.debug("Pulse \(request.method.rawValue) \(request.route) → \(response.status.code) (\(bytes.count) bytes)")
            return .success(PulseResponse(status: Int(response.status.code), body: bytes, route: request.route))
        } catch {
            let failure = PulseTransportFailure(error)
            logger.debug("Pulse \(request.method.rawValue) \(request.route) failed: \(failure.summary)")
            return .failure(failure)
        }
    }

    private func backOff(_ retry: Int, attempts: Int, _ request: PulseRequest, because reason: String) async throws(PulseError) {
        let wait = configuration.backoff(beforeRetry: retry)
        logger.warning(
            "Pulse \(request.method.rawValue) \(request.route): \(reason); trying again in \(wait) (attempt \(retry + 2) of \(attempts))"
        )
        do {
            try await sleeper.sleep(for: wait)
        } catch {
            throw .cancelled
        }
        if Task.isCancelled { throw .cancelled }
    }

    /// The error a transport failure of `request` is reported as.
    private func error(for failure: PulseTransportFailure, _ request: PulseRequest) -> PulseError {
        switch failure {
        case .timeout:
            .timeout(route: request.route, seconds: Self.seconds(configuration.requestTimeout))
        case .connectTimeout:
            .unreachable(baseURL: base, reason: "no connection within \(Self.seconds(configuration.connectTimeout)) s")
        case .tls(let reason):
            .tls(baseURL: base, reason: reason)
        case .tooLarge:
            .responseTooLarge(route: request.route, limitBytes: configuration.maximumBodyBytes)
        case .cancelled:
            .cancelled
        case .refused, .hostNotFound, .dropped, .other:
            .unreachable(baseURL: base, reason: failure.summary)
        }
    }
}
