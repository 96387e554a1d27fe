import Policy

/// Resolves the platform names of a snapshot against the manifest, remembering every answer.
///
/// A million resources name a handful of platforms; resolving each name once (ids and aliases,
/// case-insensitively, through ``PlatformSupportManifest/platform(named:)``) keeps the per-record
/// cost to one dictionary lookup, and the projections are kept as a set for the same reason.
struct SnapshotPlatforms {
    /// What the ingest needs to know of a platform.
    struct Resolved: Sendable {
        var id: PlatformID
        var governance: GovernanceState
        var primaryMode: IngestionMode?
        /// The canonical resource types the platform projects.
        var projections: Set<ResourceType>
        /// The projections as the manifest lists them, for messages.
        var projectionList: [String]
    }

    let manifest: PlatformSupportManifest
    private var cache: [String: Resolved?] = [:]

    init(manifest: PlatformSupportManifest) {
        self.manifest = manifest
    }

    /// The platform `name` (an id or alias, any case) stands for; nil when the manifest has none.
    mutating func resolve(_ name: String) -> Resolved? {
        if let known = cache[name] { return known }
        let resolved = manifest.platform(named: name).map { platform in
            Resolved(
                id: platform.id, governance: platform.governance, primaryMode: platform.primaryMode,
                projections: Set(platform.resourceTypes), projectionList: platform.resourceTypes.map(\.rawValue)
            )
        }
        cache[name] = .some(resolved)
        return resolved
    }

    /// Resolves `value` at `field`, reporting an unknown name or a runtime variant written as a platform.
    mutating func resolve(_ name: String, _ field: String, checker: SnapshotChecker) -> Resolved? {
        if let resolved = resolve(name) { return resolved }
        if let owner = SnapshotVocabulary.runtimeVariants[name.lowercased()] {
            checker.fail(
                field, .string(name),
                "\(name.lowercased()) is a runtime variant, not a platform: it belongs in \"technology\", "
                    + "under the platform \(owner)",
                seedRule: .runtimeVariantsAreNotPlatforms
            )
        } else {
            let aliases = manifest.platforms.flatMap(\.aliases)
            checker.fail(
                field, .string(name),
                "unknown platform; known platforms: \(SnapshotVocabulary.list(manifest.ids.map(\.rawValue)))"
                    + (aliases.isEmpty ? "" : "; aliases: \(SnapshotVocabulary.list(aliases))")
            )
        }
        return nil
    }

    /// The platforms a platform connection may name: supported, with API truth as the primary path.
    var connectionPlatforms: [PlatformID] {
        manifest.platforms.filter { $0.isSupported && Self.isAPIBacked($0.primaryMode) }.map(\.id)
    }

    /// API-backed, or hybrid (which merges API truth with agent truth, so it has an API to connect to).
    static func isAPIBacked(_ mode: IngestionMode?) -> Bool {
        mode == .apiBacked || mode == .hybrid
    }
}
