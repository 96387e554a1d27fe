/// The seed's pre-support readiness checkpoint ("Pre-Support Readiness Stages").
///
/// `firstLabReady` is an implementation checkpoint, not a support claim: only `supported` changes the
/// support matrix, which is why the lint ties this stage to governance `supported` both ways.
package enum ReadinessStage: String, ManifestVocabulary {
    case architectureLocked = "architecture-locked"
    case firstLabReady = "first-lab-ready"
    case supported

    package static let vocabularyName = "readiness stage"

    package init(from decoder: any Decoder) throws {
        self = try Self.decodeWord(from: decoder)
    }
}
