extension Platform {
    /// Whether this platform is in the current support matrix (governance `supported`).
    package var isSupported: Bool { governance == .supported }

    /// The projections that are canonical resource types, in manifest order; unknown words are dropped
    /// here and reported by the governance lint instead.
    package var resourceTypes: [ResourceType] {
        projections.compactMap(ResourceType.init(rawValue:))
    }

    /// Whether this platform projects resources of `type`, so that a resource of that type may belong to it.
    package func projects(_ type: ResourceType) -> Bool {
        resourceTypes.contains(type)
    }

    /// Whether `surface` applies to this platform, judged from its projections.
    ///
    /// The seed makes `workloads` conditional on projecting workload resources and `storage` on projecting
    /// storage or disk resources. Recovery and alerts depend on facts the manifest cannot see, so they are
    /// always applicable here and a platform says `n/a` for them explicitly.
    package func isApplicable(_ surface: Surface) -> Bool {
        switch surface {
        case .workloads: resourceTypes.contains(where: \.isWorkload)
        case .storage: resourceTypes.contains(where: \.isStorage)
        default: true
        }
    }

    /// The assistant-control class that decides control calls; `nil` unless the platform is supported.
    ///
    /// An admitted platform's proposed floor is deliberately ignored: `first-lab-ready` must not leak into
    /// Assistant behaviour as if support already existed.
    package var assistantControlClass: AssistantControlClass? {
        guard isSupported else { return nil }
        return supportFloor?.assistantControlClass
    }

    /// Every name that resolves to this platform: its id, then its aliases.
    package var names: [String] { [id.rawValue] + aliases }

    /// Whether `name` is this platform's id or one of its aliases, ignoring case.
    ///
    /// Asked several times per control decision, so ASCII names (all of the manifest's) are compared
    /// byte by byte without building lowercased copies.
    package func isNamed(_ name: String) -> Bool {
        Self.equalIgnoringCase(id.rawValue, name) || aliases.contains { Self.equalIgnoringCase($0, name) }
    }

    static func equalIgnoringCase(_ lhs: String, _ rhs: String) -> Bool {
        let (left, right) = (lhs.utf8, rhs.utf8)
        guard left.allSatisfy({ $0 < 0x80 }), right.allSatisfy({ $0 < 0x80 }) else {
            return lhs.lowercased() == rhs.lowercased()
        }
        return left.count == right.count && zip(left, right).allSatisfy { lowered($0) == lowered($1) }
    }

    private static func lowered(_ byte: UInt8) -> UInt8 {
        (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
    }
}
