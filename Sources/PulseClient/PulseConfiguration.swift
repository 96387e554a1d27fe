/// How to reach one Pulse server: where it is, how to authenticate, how long to wait and how often
/// to try again.
///
/// The token is a ``PulseToken``, so printing a configuration never shows it. Defaults follow what
/// a sync of a large fleet needs: a page of 100 rows answers in well under the request timeout,
/// and three retries with a 0.5 s exponential backoff ride out a Pulse restart of a few seconds.
package struct PulseConfiguration: Sendable, CustomStringConvertible {
    /// `http(s)://host[:port][/prefix]`, e.g. `https://pulse.lan:7655`; a trailing `/` is ignored.
    package var baseURL: String
    /// Sent as `X-API-Token`; nil sends none (a Pulse without auth admits loopback requests).
    package var token: PulseToken?
    /// Sent as `X-Pulse-Org-ID`, selecting the organisation (tenant) when set.
    package var orgID: String?
    /// A PEM file of CA certificates trusted for `https` in addition to the system roots: Pulse's
    /// usual certificate is self-signed.
    package var caFilePath: String?
    /// Accept any certificate. Off by default; the client logs a warning when it is created with it on.
    package var insecureSkipVerify: Bool
    /// How long opening a connection (TCP and TLS) may take.
    package var connectTimeout: Duration
    /// How long one request may take, from sending it to the last byte of its body.
    package var requestTimeout: Duration
    /// How many times a request that failed with a 5xx or a connection error is tried again.
    package var retryCount: Int
    /// The wait before the first retry; each further retry waits twice as long as the one before.
    package var backoffBase: Duration
    /// The largest body read for one request; a bigger answer is an error, not an allocation.
    package var maximumBodyBytes: Int
    /// The most pages one walk of a paged route reads, whatever `meta.totalPages` says.
    package var maximumPages: Int

    package init(
        baseURL: String, token: PulseToken?, orgID: String? = nil, caFilePath: String? = nil,
        insecureSkipVerify: Bool = false, connectTimeout: Duration = .seconds(10),
        requestTimeout: Duration = .seconds(60), retryCount: Int = 3, backoffBase: Duration = .milliseconds(500),
        maximumBodyBytes: Int = 64 << 20, maximumPages: Int = 20_000
    ) {
        self.baseURL = baseURL
        self.token = token
        self.orgID = orgID
        self.caFilePath = caFilePath
        self.insecureSkipVerify = insecureSkipVerify
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.retryCount = retryCount
        self.backoffBase = backoffBase
        self.maximumBodyBytes = maximumBodyBytes
        self.maximumPages = maximumPages
    }

    /// The wait before retry number `retry` (0 for the first): `backoffBase × 2^retry`.
    package func backoff(beforeRetry retry: Int) -> Duration {
        backoffBase * (1 << min(max(retry, 0), 16))
    }

    /// Everything but the token, which shows as `<redacted>` when there is one.
    package var description: String {
        var parts = ["baseURL: \(baseURL)", "token: \(token == nil ? "none" : "<redacted>")"]
        if let orgID { parts.append("orgID: \(orgID)") }
        if let caFilePath { parts.append("caFile: \(caFilePath)") }
        if insecureSkipVerify { parts.append("insecureSkipVerify: true") }
        parts.append("retries: \(retryCount)")
        return "PulseConfiguration(\(parts.joined(separator: ", ")))"
    }
}
