extension GovernanceLint {
    /// The floors that must be judged: the support-matrix row of a supported platform, and any proposed floor
    /// of a platform that is not presentation-only. A misplaced floor is already reported by
    /// ``governance(of:)``; judging its cells as well would only repeat that.
    static func floors(of platform: Platform) -> [GovernanceViolation] {
        var found: [GovernanceViolation] = []
        if platform.isSupported, let floor = platform.supportFloor {
            found += cells(of: floor, named: "supportFloor", in: platform, isSupportClaim: true)
        }
        if platform.governance != .presentationOnly, let floor = platform.proposedFloor {
            found += cells(of: floor, named: "proposedFloor", in: platform, isSupportClaim: false)
        }
        return found
    }

    /// Judges every cell of one floor row, in the seed's surface order.
    ///
    /// - Parameter isSupportClaim: `true` for the support-matrix row, where every surface other than
    ///   assistant control must be `supported` or `n/a`; a proposed floor may still say `read-only`.
    static func cells(
        of floor: SupportFloor, named name: String, in platform: Platform, isSupportClaim: Bool
    ) -> [GovernanceViolation] {
        var found: [GovernanceViolation] = []
        for surface in Surface.allCases {
            let field = "\(name).\(surface.rawValue)"
            func flag(_ message: String, _ rule: SeedRule) {
                found.append(.init(platform, field, message, rule))
            }
            guard let value = floor[surface] else {
                flag("is blank; declare supported, augmentation-only, read-only or n/a", .completeFloor)
                continue
            }
            if case .unknown(let word) = value {
                if surface == .assistantControl {
                    flag("\"\(word)\" is not an assistant control class; use supported, augmentation-only, read-only or n/a",
                         .controlClassification)
                } else if isSupportClaim {
                    flag("\"\(word)\" is not a support value; a supported platform marks each surface supported or n/a",
                         .supportedSurfaces)
                } else {
                    flag("\"\(word)\" is not a support value; use supported, augmentation-only, read-only or n/a",
                         .supportedSurfaces)
                }
                continue
            }
            if isSupportClaim, surface != .assistantControl, value == .augmentationOnly || value == .readOnly {
                flag("\"\(value)\" is neither supported nor n/a; a supported platform marks each surface supported or n/a",
                     .supportedSurfaces)
            }
            if let problem = applicabilityProblem(surface, value, in: platform) {
                flag(problem, .surfaceApplicability)
            }
            if surface == .assistantControl, value == .augmentationOnly, platform.augmentation == nil {
                flag("is augmentation-only but \(platform.id) declares no augmentation path to route control through",
                     .augmentationOnlyControl)
            }
        }
        return found
    }

    /// Why `value` does not fit whether `surface` applies to `platform`, or `nil` when it fits.
    static func applicabilityProblem(_ surface: Surface, _ value: SupportValue, in platform: Platform) -> String? {
        let kind: String
        let projected: [ResourceType]
        switch surface {
        case .workloads:
            kind = "workload"
            projected = platform.resourceTypes.filter(\.isWorkload)
        case .storage:
            kind = "storage or disk"
            projected = platform.resourceTypes.filter(\.isStorage)
        default:
            return nil
        }
        if projected.isEmpty, value != .notApplicable {
            return "is \"\(value)\", but \(platform.id) projects no \(kind) type; mark it n/a"
        }
        if !projected.isEmpty, value == .notApplicable {
            let list = projected.map(\.rawValue).joined(separator: ", ")
            return "is n/a, but \(platform.id) projects \(kind) types (\(list))"
        }
        return nil
    }
}
