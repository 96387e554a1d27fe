import Foundation

extension GovernanceLint {
    /// Governance state and readiness stage agree, and only `supported` platforms enter the support matrix.
    static func governance(of platform: Platform) -> [GovernanceViolation] {
        var found: [GovernanceViolation] = []
        func flag(_ field: String, _ message: String, _ rule: SeedRule) {
            found.append(.init(platform, field, message, rule))
        }
        switch platform.governance {
        case .presentationOnly:
            let rule = SeedRule.presentationOnlyIsNotSupport
            if !platform.projections.isEmpty { flag("projections", "presentation-only vocabulary projects nothing", rule) }
            if platform.supportFloor != nil { flag("supportFloor", "presentation-only vocabulary supports nothing", rule) }
            if platform.proposedFloor != nil { flag("proposedFloor", "presentation-only vocabulary supports nothing", rule) }
            if platform.primaryMode != nil {
                flag("primaryMode", "presentation-only vocabulary has no primary ingestion mode", rule)
            }
            if platform.readinessStage != nil {
                flag("readinessStage", "presentation-only vocabulary has no readiness stage", rule)
            }
        case .admitted:
            switch platform.readinessStage {
            case nil:
                flag("readinessStage", "an admitted platform declares its stage: architecture-locked or first-lab-ready",
                     .preSupportStage)
            case .supported:
                flag("readinessStage", "\"supported\" is the stage of supported platforms; "
                     + "an admitted platform is architecture-locked or first-lab-ready", .supportedStage)
            case .architectureLocked, .firstLabReady:
                break
            }
            if platform.supportFloor != nil {
                if platform.readinessStage == .firstLabReady {
                    flag("supportFloor", "a first-lab-ready platform makes no support claim; record its floor as proposedFloor",
                         .firstLabReadyIsNotSupport)
                } else {
                    flag("supportFloor", "an admitted platform is not in the support matrix; record its floor as proposedFloor",
                         .onlySupportedChangesMatrix)
                }
            }
        case .supported:
            switch platform.readinessStage {
            case .supported:
                break
            case .firstLabReady:
                flag("readinessStage", "a first-lab-ready platform cannot be governance supported",
                     .firstLabReadyIsNotSupport)
            case .architectureLocked:
                flag("readinessStage", "a supported platform is at stage supported, not architecture-locked",
                     .supportedStage)
            case nil:
                flag("readinessStage", "a supported platform is at stage supported, not undeclared", .supportedStage)
            }
        }
        return found
    }

    /// A supported platform declares what the seed says a first-class platform must, and a `hybrid`
    /// primary mode names its primary and its augmentation.
    static func completeness(of platform: Platform) -> [GovernanceViolation] {
        var found: [GovernanceViolation] = []
        func flag(_ field: String, _ message: String, _ rule: SeedRule) {
            found.append(.init(platform, field, message, rule))
        }
        if platform.isSupported {
            let rule = SeedRule.definesFirstClassPlatform
            if platform.primaryMode == nil {
                flag("primaryMode", "a supported platform declares one primary ingestion mode", rule)
            }
            if platform.onboardingPath?.isBlank ?? true {
                flag("onboardingPath", "a supported platform declares its onboarding path", rule)
            }
            if platform.projections.isEmpty {
                flag("projections", "a supported platform declares at least one canonical projection", rule)
            }
            if platform.supportFloor == nil {
                flag("supportFloor", "a supported platform declares its support-floor row", rule)
            }
        }
        if platform.primaryMode == .hybrid {
            if let hybrid = platform.hybrid {
                if hybrid.primary.isBlank {
                    flag("hybrid.primary", "is blank; name the path whose truth is primary", .explicitHybrid)
                }
                if hybrid.augmentation.isBlank {
                    flag("hybrid.augmentation", "is blank; name the path that only augments", .explicitHybrid)
                }
            } else {
                flag("hybrid", "primary mode is hybrid but nothing names what is primary and what augments",
                     .explicitHybrid)
            }
        }
        return found
    }
}

extension String {
    /// Whether the string is empty or only whitespace, so that a blank cell counts as missing.
    var isBlank: Bool {
        trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }
}
