/// An MCP protocol revision this server speaks, and what each one carries.
///
/// Negotiation (`initialize`): a client's version that is supported is
/// echoed; any other is answered with ``latest``, and the client decides
/// whether it can go on.
package enum ProtocolVersion: String, Sendable, CaseIterable, Comparable {
    case v2024_11_05 = "2024-11-05"
    case v2025_03_26 = "2025-03-26"
    case v2025_06_18 = "2025-06-18"
    case v2025_11_25 = "2025-11-25"

    package static let latest = ProtocolVersion.v2025_11_25

    /// The version to answer a client that asked for `requested`.
    package static func negotiate(_ requested: String) -> ProtocolVersion {
        ProtocolVersion(rawValue: requested) ?? latest
    }

    package static func < (lhs: ProtocolVersion, rhs: ProtocolVersion) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    /// Tool annotations (`readOnlyHint` and friends) arrived in 2025-03-26.
    package var hasToolAnnotations: Bool { self >= .v2025_03_26 }

    /// `title`, `outputSchema` and `structuredContent` arrived in 2025-06-18.
    package var hasStructuredContent: Bool { self >= .v2025_06_18 }
}
