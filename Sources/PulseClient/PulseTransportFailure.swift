import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Why a request got no answer, sorted into what the retry loop and the error message need.
///
/// AsyncHTTPClient reports a failure as one of several error types (its own, NIO's channel and
/// I/O errors, Happy Eyeballs' connection error wrapping those, NIOSSL's): this is the one place
/// that knows them. The summary is built from the error's kind, never from a request's headers.
enum PulseTransportFailure: Error, Sendable, Hashable {
    /// Nothing listens at the address (or no route to it).
    case refused
    /// The host name did not resolve.
    case hostNotFound
    /// The connection closed before a complete answer.
    case dropped
    /// No connection within the connect timeout.
    case connectTimeout
    /// Connected, but no complete answer within the request timeout.
    case timeout
    /// The TLS handshake failed (an untrusted or mismatched certificate, a plain-HTTP server).
    case tls(String)
    /// The body was larger than the bound.
    case tooLarge
    /// The task was cancelled.
    case cancelled
    /// Anything else, described.
    case other(String)

    init(_ error: any Error) {
        switch error {
        case is CancellationError: self = .cancelled
        case is NIOTooManyBytesError: self = .tooLarge
        case let error as HTTPClientError: self = Self.classify(error)
        case let error as NIOConnectionError: self = Self.classify(error)
        case let error as IOError: self = Self.classify(errno: error.errnoCode)
        case let error as ChannelError: self = Self.classify(error)
        case let error as NIOSSLError: self = .tls(Self.describe(error))
        case let error as NIOSSLExtraError: self = .tls(String(describing: error))
        case let error as BoringSSLError: self = .tls(String(describing: error))
        default: self = .other(String(describing: type(of: error)))
        }
    }

    /// Whether trying again may help; `sent` says the request could safely go out twice.
    func isRetryable(sent idempotent: Bool) -> Bool {
        switch self {
        case .refused, .hostNotFound, .connectTimeout: true
        case .dropped, .timeout: idempotent
        case .tls, .tooLarge, .cancelled, .other: false
        }
    }

    /// A few words for the log line and the ``PulseError/unreachable(baseURL:reason:)`` sentence.
    var summary: String {
        switch self {
        case .refused: "connection refused"
        case .hostNotFound: "host name not found"
        case .dropped: "the connection was dropped before a complete answer"
        case .connectTimeout: "no connection within the connect timeout"
        case .timeout: "no complete answer within the request timeout"
        case .tls(let reason): "TLS failed: \(reason)"
        case .tooLarge: "the answer is larger than the bound"
        case .cancelled: "cancelled"
        case .other(let kind): "the request failed (\(kind))"
        }
    }

    private static func classify(_ error: HTTPClientError) -> PulseTransportFailure {
        switch error {
        case .connectTimeout: .connectTimeout
        case .tlsHandshakeTimeout: .tls("the TLS handshake timed out")
        case .readTimeout, .writeTimeout, .deadlineExceeded, .getConnectionFromPoolTimeout: .timeout
        case .remoteConnectionClosed: .dropped
        case .cancelled: .cancelled
        default: .other(error.description)
        }
    }

    private static func classify(_ error: NIOConnectionError) -> PulseTransportFailure {
        if let first = error.connectionErrors.first {
            return PulseTransportFailure(first.error)
        }
        if error.dnsAError != nil || error.dnsAAAAError != nil { return .hostNotFound }
        return .hostNotFound
    }

    private static func classify(errno code: Int32) -> PulseTransportFailure {
        switch code {
        case ECONNREFUSED, EHOSTUNREACH, ENETUNREACH, EADDRNOTAVAIL: .refused
        case ECONNRESET, EPIPE, ECONNABORTED: .dropped
        case ETIMEDOUT: .connectTimeout
        default: .other("errno \(code)")
        }
    }

    private static func classify(_ error: ChannelError) -> PulseTransportFailure {
        switch error {
        case .connectTimeout: .connectTimeout
        case .ioOnClosedChannel, .eof, .alreadyClosed, .outputClosed, .inputClosed: .dropped
        default: .other("channel: \(error)")
        }
    }

    /// NIOSSL's handshake failure, with the certificate-verification case said in words.
    private static func describe(_ error: NIOSSLError) -> String {
        let text = String(describing: error)
        if text.contains("CERTIFICATE_VERIFY_FAILED") { return "the server's certificate is not trusted" }
        switch error {
        case .uncleanShutdown: return "the server closed the connection during the TLS handshake"
        case .handshakeFailed: return "handshake failed: \(text)"
        default: return text
        }
    }
}
