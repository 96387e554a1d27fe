/// Where a platform id stands in the seed's "Current Classification".
///
/// Only `supported` platforms are in the support matrix. `admitted` ids are real engineering work that may
/// not yet be called supported (vSphere); `presentation-only` ids exist so that shared vocabulary can
/// normalise them, and must never be read as support.
package enum GovernanceState: String, ManifestVocabulary {
    case supported
    case admitted
    case presentationOnly = "presentation-only"

    package static let vocabularyName = "governance state"

    package init(from decoder: any Decoder) throws {
        self = try Self.decodeWord(from: decoder)
    }
}
