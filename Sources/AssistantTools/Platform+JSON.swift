import JSON
import Policy

/// How a platform row reads on the wire: every field of the manifest plus a
/// plain statement of what the platform's standing means for the assistant.
extension Platform {
    var jsonValue: JSONValue {
        [
            "id": .string(id.rawValue),
            "displayName": .string(displayName),
            "aliases": JSONValue(aliases),
            "family": JSONValue(family),
            "governanceState": .string(governance.rawValue),
            "readinessStage": JSONValue(readinessStage?.rawValue),
            "supported": .bool(isSupported),
            "primaryMode": JSONValue(primaryMode?.rawValue),
            "hybrid": hybrid.map { ["primary": .string($0.primary), "augmentation": .string($0.augmentation)] } ?? .null,
            "optionalAugmentation": augmentation.map(\.jsonValue) ?? .null,
            "onboardingPath": JSONValue(onboardingPath),
            "entryPoint": JSONValue(entryPoint),
            "projections": JSONValue(projections),
            "supportFloor": supportFloor.map(\.jsonValue) ?? .null,
            "proposedFloor": proposedFloor.map(\.jsonValue) ?? .null,
            "assistantControl": JSONValue(assistantControlClass?.rawValue),
            "statement": .string(statement),
        ]
    }

    /// One paragraph that says, without hedging, whether the platform is supported and what that means.
    var statement: String {
        switch governance {
        case .supported:
            let control = assistantControlClass.map(Self.controlMeaning) ?? "assistant control is not classified"
            return "\(id) is supported: it is in the current support matrix, the assistant reads it, and \(control)"
        case .admitted:
            let stage = readinessStage?.rawValue ?? "no recorded stage"
            var text = "\(id) is not supported. It is an admitted platform at readiness stage \(stage)"
            if readinessStage == .firstLabReady {
                text += ", an implementation checkpoint and not a support claim"
            }
            text += ". It is not in the current support matrix: the assistant does not treat its resources as supported and never controls them."
            if proposedFloor != nil {
                text += " The floor shown is its proposed phase-1 floor, not current support."
            }
            return text
        case .presentationOnly:
            return "\(id) is not supported. It is presentation-only vocabulary: not admitted, at no readiness stage, it projects no resources and supports no surface."
        }
    }

    private static func controlMeaning(_ control: AssistantControlClass) -> String {
        switch control {
        case .supported:
            "assistant control is supported: control requests execute through the platform's own control path."
        case .augmentationOnly:
            "assistant control is augmentation-only: control requests are routed to the Pulse agent on the resource's host, and refused where no such agent is connected."
        case .readOnly:
            "assistant control is read-only: control requests are refused."
        case .notApplicable:
            "assistant control does not apply (n/a): control requests are refused."
        }
    }
}

extension SupportFloor {
    var jsonValue: JSONValue {
        .object(JSONObject(Surface.allCases.map { ($0.rawValue, JSONValue(self[$0]?.rawValue)) }))
    }
}

extension Augmentation {
    var jsonValue: JSONValue {
        ["path": .string(path), "scope": .string(scope), "wording": .string(wording), "deferred": .bool(isDeferred)]
    }
}
