extension PlatformSupportManifest {
    /// The platform whose id or alias is `name`, ignoring case; `nil` when none is.
    ///
    /// When a (broken) manifest declares a name twice, the first row in manifest order wins; the
    /// governance lint reports the duplicate.
    package func platform(named name: String) -> Platform? {
        platforms.first { $0.isNamed(name) }
    }

    /// The platform with exactly this canonical id.
    package func platform(for id: PlatformID) -> Platform? {
        platforms.first { $0.id == id }
    }

    /// The platform whose id or alias is `name`, ignoring case.
    /// - Throws: ``UnknownPlatformError`` listing every known id and alias.
    package func platform(resolving name: String) throws -> Platform {
        guard let platform = platform(named: name) else {
            throw UnknownPlatformError(name: name, knownIDs: ids, knownAliases: platforms.flatMap(\.aliases))
        }
        return platform
    }

    /// Every canonical id, in manifest order.
    package var ids: [PlatformID] { platforms.map(\.id) }

    /// The platforms in the current support matrix, in manifest order.
    package var supportedPlatforms: [Platform] { platforms.filter(\.isSupported) }

    /// The platforms in one governance state, in manifest order.
    package func platforms(in state: GovernanceState) -> [Platform] {
        platforms.filter { $0.governance == state }
    }
}
