/// A closed, string-valued word of the manifest's vocabulary (a governance state, a readiness stage, an ingestion mode).
///
/// These words are structural: a manifest that misspells one cannot be read at all, so decoding fails with a
/// message that names the JSON path and lists the accepted words, instead of the generic
/// "cannot initialize from invalid String value" that a synthesized `Decodable` gives.
/// Words the governance lint must see even when wrong (support values, projections) are kept open instead.
package protocol ManifestVocabulary: RawRepresentable<String>, CaseIterable, Sendable, Codable, Hashable {
    /// What one of these words is called in an error message, e.g. "governance state".
    static var vocabularyName: String { get }
}

extension ManifestVocabulary {
    /// Every accepted word, in declaration order, joined for an error message.
    static var acceptedWords: String {
        allCases.map(\.rawValue).joined(separator: ", ")
    }

    /// Decodes one word, failing with the accepted words rather than trapping or guessing.
    static func decodeWord(from decoder: any Decoder) throws -> Self {
        let container = try decoder.singleValueContainer()
        let word = try container.decode(String.self)
        guard let value = Self(rawValue: word) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "\"\(word)\" is not a \(vocabularyName) (\(acceptedWords))"
            )
        }
        return value
    }
}
