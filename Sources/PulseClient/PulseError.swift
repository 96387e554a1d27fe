/// Why a request to Pulse, or a walk of its pages, failed.
///
/// Each case renders itself as one sentence a person can act on (``description``) and has a
/// stable snake_case ``code`` for exit codes and JSON output. No case carries the token: routes
/// are paths and queries this client built, and text from the server passes through
/// ``PulseToken/redacting(_:)`` before it gets here.
package enum PulseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 401: no token, or one Pulse does not know.
    case unauthorized(route: String)
    /// 403; `requiredScopes` from Pulse's `missing_scope` body (`requiredScope` or `requiredScopes`),
    /// empty when the refusal was for another reason (`code`, `message`).
    case forbidden(route: String, requiredScopes: [String], code: String?, message: String?)
    /// 402: beyond what the license covers (metric history past the license's range).
    case paymentRequired(route: String, message: String?)
    /// Any other status that is not a success, with Pulse's `{error, message}` when it sent them.
    case http(route: String, status: Int, code: String?, message: String?)
    /// No answer at all: connection refused, host name not found, the connection dropped.
    case unreachable(baseURL: String, reason: String)
    /// No complete answer within the configured time.
    case timeout(route: String, seconds: Double)
    /// The TLS handshake failed, usually because the certificate is not trusted.
    case tls(baseURL: String, reason: String)
    /// A 2xx answer that is not the JSON this route returns.
    case malformedEnvelope(route: String, reason: String)
    /// A body larger than ``PulseConfiguration/maximumBodyBytes``.
    case responseTooLarge(route: String, limitBytes: Int)
    /// The configuration cannot work (a URL that is not http(s), an unreadable CA file).
    case invalidConfiguration(reason: String)
    /// The task was cancelled while the request or a backoff was under way.
    case cancelled

    /// A stable short name: `pulse_unauthorized`, `pulse_tls`, ….
    package var code: String {
        switch self {
        case .unauthorized: "pulse_unauthorized"
        case .forbidden: "pulse_forbidden"
        case .paymentRequired: "pulse_payment_required"
        case .http: "pulse_http_error"
        case .unreachable: "pulse_unreachable"
        case .timeout: "pulse_timeout"
        case .tls: "pulse_tls"
        case .malformedEnvelope: "pulse_malformed_envelope"
        case .responseTooLarge: "pulse_response_too_large"
        case .invalidConfiguration: "pulse_invalid_configuration"
        case .cancelled: "pulse_cancelled"
        }
    }

    /// The HTTP status the error stands for, when it is one.
    package var status: Int? {
        switch self {
        case .unauthorized: 401
        case .forbidden: 403
        case .paymentRequired: 402
        case .http(_, let status, _, _): status
        default: nil
        }
    }

    package var description: String {
        switch self {
        case .unauthorized(let route):
            return "Pulse refused the API token for \(route) (401): set a valid token in $PULSE_API_TOKEN "
                + "or in the config file's pulseToken."
        case .forbidden(let route, let scopes, let code, let message):
            if scopes.count == 1, let scope = scopes.first {
                return "Pulse refused \(route) (403 missing_scope): the API token lacks the scope \(scope); "
                    + "mint one that has it in Pulse under Settings → Security → API Tokens."
            }
            if !scopes.isEmpty {
                return "Pulse refused \(route) (403 missing_scope): the API token needs one of the scopes "
                    + "\(scopes.joined(separator: ", ")); mint one in Pulse under Settings → Security → API Tokens."
            }
            return "Pulse refused \(route) (403\(Self.said(code, message)))."
        case .paymentRequired(let route, let message):
            return "Pulse's license does not cover \(route) (402\(Self.said(nil, message)))."
        case .http(let route, let status, let code, let message):
            return "Pulse answered \(route) with HTTP \(status)\(Self.said(code, message))."
        case .unreachable(let baseURL, let reason):
            return "Cannot reach Pulse at \(baseURL): \(reason)."
        case .timeout(let route, let seconds):
            return "Pulse did not answer \(route) within \(Self.seconds(seconds)) s."
        case .tls(let baseURL, let reason):
            return "TLS to Pulse at \(baseURL) failed (\(reason)): if Pulse uses a self-signed certificate, "
                + "set pulseCAFile to its CA certificate; otherwise check the URL."
        case .malformedEnvelope(let route, let reason):
            return "Pulse's answer to \(route) is not what this client reads: \(reason)."
        case .responseTooLarge(let route, let limit):
            return "Pulse's answer to \(route) is larger than \(limit >> 20) MiB, the bound on one answer."
        case .invalidConfiguration(let reason):
            return "The Pulse connection is misconfigured: \(reason)."
        case .cancelled:
            return "The request to Pulse was cancelled."
        }
    }

    /// ` error_code: message`, `: message`, ` error_code` or nothing, for the status sentences.
    private static func said(_ code: String?, _ message: String?) -> String {
        switch (code, message) {
        case (let code?, let message?): " \(code): \(message)"
        case (let code?, nil): " \(code)"
        case (nil, let message?): ": \(message)"
        case (nil, nil): ""
        }
    }

    private static func seconds(_ value: Double) -> String {
        value.rounded() == value ? String(Int(value)) : String((value * 10).rounded() / 10)
    }
}
