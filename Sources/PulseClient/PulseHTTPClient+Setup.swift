import Foundation
import NIOCore
import NIOSSL

extension PulseHTTPClient {
    /// The base URL without its trailing `/`, once it is known to be `http(s)://host…`.
    static func validatedBase(_ url: String) throws(PulseError) -> String {
        var base = url.trimmingSpaces()
        while base.hasSuffix("/") { base.removeLast() }
        let lowered = base.lowercased()
        guard let scheme = ["https://", "http://"].first(where: { lowered.hasPrefix($0) }) else {
            throw .invalidConfiguration(reason: "the Pulse URL must start with http:// or https:// (got \(url))")
        }
        let rest = base.dropFirst(scheme.count)
        let host = rest.prefix { $0 != "/" && $0 != ":" && $0 != "?" }
        guard !host.isEmpty, !rest.contains("?"), !rest.contains("#"), !rest.contains("@") else {
            throw .invalidConfiguration(reason: "the Pulse URL needs a host and no query, fragment or credentials (got \(url))")
        }
        return base
    }

    /// The system trust roots, plus the CA file's certificates, or no verification at all.
    static func tlsConfiguration(_ configuration: PulseConfiguration) throws(PulseError) -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        if configuration.insecureSkipVerify {
            tls.certificateVerification = .none
        }
        if let path = configuration.caFilePath {
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw .invalidConfiguration(reason: "the CA file \(path) (pulseCAFile) does not exist or cannot be read")
            }
            let certificates: [NIOSSLCertificate]
            do {
                certificates = try NIOSSLCertificate.fromPEMFile(path)
            } catch {
                throw .invalidConfiguration(reason: "the CA file \(path) (pulseCAFile) holds no PEM certificate")
            }
            guard !certificates.isEmpty else {
                throw .invalidConfiguration(reason: "the CA file \(path) (pulseCAFile) holds no PEM certificate")
            }
            tls.additionalTrustRoots = [.certificates(certificates)]
        }
        return tls
    }

    /// A `Duration` as NIO's `TimeAmount`.
    static func amount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    /// A `Duration` in seconds, for messages.
    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
