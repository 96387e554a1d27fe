/// A rule of the seed (`PLATFORM_SUPPORT_MODEL.md`) that the governance lint enforces, with its citation.
///
/// Every violation names the rule it breaks in the seed's own words, so that a reviewer arguing with the
/// lint is arguing with the governed document, not with this code.
package enum SeedRule: String, CaseIterable, Sendable, Codable, Hashable {
    case definesFirstClassPlatform
    case supportedSurfaces
    case completeFloor
    case controlClassification
    case surfaceApplicability
    case explicitHybrid
    case canonicalProjections
    case explicitProjections
    case presentationOnlyIsNotSupport
    case onlySupportedChangesMatrix
    case firstLabReadyIsNotSupport
    case supportedStage
    case preSupportStage
    case consistentNormalization
    case runtimeVariantsAreNotPlatforms
    case augmentationOnlyControl

    /// The seed section the rule comes from.
    package var section: String {
        switch self {
        case .definesFirstClassPlatform, .canonicalProjections, .explicitProjections: "Canonical Rules"
        case .supportedSurfaces, .completeFloor, .controlClassification, .surfaceApplicability: "Support Floor"
        case .explicitHybrid: "Canonical Ingestion Modes"
        case .presentationOnlyIsNotSupport, .consistentNormalization: "Current Inconsistencies To Treat Explicitly"
        case .onlySupportedChangesMatrix, .firstLabReadyIsNotSupport, .supportedStage, .preSupportStage:
            "Pre-Support Readiness Stages"
        case .runtimeVariantsAreNotPlatforms: "Runtime Variants"
        case .augmentationOnlyControl: "Optional augmentation paths"
        }
    }

    /// The rule in the seed's words (quoted, lightly trimmed).
    package var words: String {
        switch self {
        case .definesFirstClassPlatform:
            "A first-class platform is a governed Pulse platform id with one declared primary ingestion mode, "
                + "one owned onboarding path, explicit canonical resource projections, and one declared support matrix"
        case .supportedSurfaces:
            "A platform counts as supported only when every applicable surface above is either supported or explicitly n/a"
        case .completeFloor:
            "Blank, implied, or hand-wavy coverage is not acceptable"
        case .controlClassification:
            "assistant control must be classified explicitly as one of: supported, augmentation-only, read-only, n/a"
        case .surfaceApplicability:
            "workloads, if the platform projects workload resources; storage, if the platform projects storage or disk resources"
        case .explicitHybrid:
            "Hybrid is valid only when the primary owner and the augmentation rule are both explicit"
        case .canonicalProjections:
            "Platform work must project into canonical shared resources first. "
                + "Do not add provider-local top-level resource types by default"
        case .explicitProjections:
            "explicit canonical resource projections"
        case .presentationOnlyIsNotSupport:
            "Those ids must not be interpreted as current support unless the classifications above say so"
        case .onlySupportedChangesMatrix:
            "Only supported changes the current support matrix"
        case .firstLabReadyIsNotSupport:
            "first-lab-ready is an implementation checkpoint, not a support claim"
        case .supportedStage:
            "supported: Live proof validates the declared floor and the platform is admitted into the current support matrix"
        case .preSupportStage:
            "Pulse therefore uses one governed pre-support checkpoint so delivery progress is visible "
                + "without inflating the support claim"
        case .consistentNormalization:
            "so shared tests and frontend vocabulary can normalize them consistently"
        case .runtimeVariantsAreNotPlatforms:
            "Runtime variants are not top-level platforms"
        case .augmentationOnlyControl:
            "host-level agent support that enables shell or guest control for an already admitted API-backed platform"
        }
    }

    /// The citation as it appears at the end of a violation: `seed, Support Floor: "…"`.
    package var citation: String {
        "seed, \(section): \"\(words)\""
    }
}
