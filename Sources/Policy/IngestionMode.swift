/// A platform's primary ingestion mode ("Canonical Ingestion Modes"): whose truth defines its support floor.
///
/// `hybrid` is a mode, not a platform category; a platform whose primary mode is `hybrid` must say what is
/// primary and what only augments (see ``HybridOwnership``).
package enum IngestionMode: String, ManifestVocabulary {
    case apiBacked = "api-backed"
    case agentBacked = "agent-backed"
    case hybrid

    package static let vocabularyName = "primary ingestion mode"

    package init(from decoder: any Decoder) throws {
        self = try Self.decodeWord(from: decoder)
    }
}
