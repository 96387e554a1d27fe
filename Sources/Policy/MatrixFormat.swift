/// An output format of `pulse-assistant matrix --format`.
package enum MatrixFormat: String, CaseIterable, Sendable, Codable, Hashable {
    /// Aligned plain text for a terminal.
    case table
    /// The manifest itself, re-encoded with sorted keys.
    case json
    /// Markdown tables for a README or a review.
    case markdown
}
