import ControlEndpoints

/// Where the token an endpoint's `hello` needs comes from: an environment variable or a `0600` token
/// file, named by the operator's configuration; never a snapshot, never a tool argument.
///
/// A token is read when an action is dispatched, so a rotated file takes effect without a restart, and
/// it goes only into the `hello` line: no message, log or record ever holds it.
package struct EndpointTokens: Sendable {
    package enum Source: Sendable, Equatable, CustomStringConvertible {
        case environment(String)
        case file(String)

        package var description: String {
            switch self {
            case .environment(let name): "environment variable \(name)"
            case .file(let path): "token file \(path)"
            }
        }
    }

    /// The variable read when nothing else is configured.
    package static let defaultVariable = "PULSE_ASSISTANT_ENDPOINT_TOKEN"

    /// The source for every endpoint without its own.
    package var fallback: Source
    /// Sources for single endpoints, by agent or connection id.
    package var byEndpoint: [String: Source]
    /// The process environment, captured once.
    package var environment: [String: String]

    package init(
        fallback: Source = .environment(EndpointTokens.defaultVariable), byEndpoint: [String: Source] = [:],
        environment: [String: String] = [:]
    ) {
        self.fallback = fallback
        self.byEndpoint = byEndpoint
        self.environment = environment
    }

    /// The token for the agent or connection `id`, or why there is none (said without the token).
    package func token(for id: String) -> Result<String, TokenUnavailable> {
        let source = byEndpoint[id] ?? fallback
        switch source {
        case .environment(let name):
            guard let value = environment[name], !value.isEmpty else {
                return .failure(TokenUnavailable(message: "no token for endpoint '\(id)': \(source) is not set"))
            }
            return .success(value)
        case .file(let path):
            do {
                return .success(try TokenFile.read(path))
            } catch {
                return .failure(TokenUnavailable(message: "no token for endpoint '\(id)': \(error)"))
            }
        }
    }

    /// Every token the configured sources hold now (the fallback and each endpoint's), skipping those
    /// that are unset or unreadable: the values a ``KnownSecrets`` starts with.
    package func configuredValues() -> [String] {
        ([fallback] + byEndpoint.keys.sorted().compactMap { byEndpoint[$0] }).compactMap { source in
            switch source {
            case .environment(let name): environment[name]
            case .file(let path): try? TokenFile.read(path)
            }
        }
    }
}

/// Why no token could be had for an endpoint.
package struct TokenUnavailable: Error, Sendable, Equatable, CustomStringConvertible {
    package var message: String
    package var description: String { message }
}
