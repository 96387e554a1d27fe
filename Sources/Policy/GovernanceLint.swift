/// Checks a platform-support manifest against the seed's governance rules (`matrix --check`).
///
/// The lint is a pure function of the manifest: it never throws and never stops at the first problem, so a
/// draft model gets every violation at once. Violations come grouped by platform in manifest order, and
/// within a platform in a fixed rule order, so reports diff cleanly. The shipped manifest yields none.
package enum GovernanceLint {
    /// Runtime variants the seed names; they are workload technologies, never platform ids or aliases.
    package static let runtimeVariants: [String] = ["podman", "qemu", "lxc"]

    /// Every violation in `manifest`, grouped by platform in manifest order.
    package static func check(_ manifest: PlatformSupportManifest) -> [GovernanceViolation] {
        // Appends rather than one `+` chain: the chain took the type checker over ten seconds.
        var found: [GovernanceViolation] = []
        for (index, platform) in manifest.platforms.enumerated() {
            found.append(contentsOf: identity(of: platform, at: index, in: manifest))
            found.append(contentsOf: governance(of: platform))
            found.append(contentsOf: completeness(of: platform))
            found.append(contentsOf: projections(of: platform))
            found.append(contentsOf: floors(of: platform))
        }
        return found
    }

    // MARK: - Identity

    /// Ids and aliases: well formed, not runtime variants, and each name resolving to exactly one platform.
    ///
    /// A collision is reported once, on the later row, so that fixing the reported row fixes the report.
    static func identity(
        of platform: Platform, at index: Int, in manifest: PlatformSupportManifest
    ) -> [GovernanceViolation] {
        var found: [GovernanceViolation] = []
        let id = platform.id.rawValue
        if !isWellFormedName(id) {
            found.append(.init(platform, "id", "\"\(id)\" is not a lowercase id of [a-z0-9-]", .consistentNormalization))
        }
        if isRuntimeVariant(id) {
            found.append(.init(platform, "id", "\"\(id)\" is a runtime variant, not a platform id",
                               .runtimeVariantsAreNotPlatforms))
        }
        let earlier = manifest.platforms[..<index]
        if let twin = earlier.firstIndex(where: { $0.id.rawValue.lowercased() == id.lowercased() }) {
            found.append(.init(platform, "id", "\"\(id)\" is declared twice (also platforms[\(twin)])",
                               .consistentNormalization))
        }
        for (position, alias) in platform.aliases.enumerated() {
            let field = "aliases[\(position)]"
            if !isWellFormedName(alias) {
                found.append(.init(platform, field, "\"\(alias)\" is not a lowercase alias of [a-z0-9-]",
                                   .consistentNormalization))
            }
            if isRuntimeVariant(alias) {
                found.append(.init(platform, field, "\"\(alias)\" is a runtime variant, not a platform alias",
                                   .runtimeVariantsAreNotPlatforms))
            }
            let key = alias.lowercased()
            if let owner = manifest.platforms.first(where: { $0.id != platform.id && $0.id.rawValue.lowercased() == key }) {
                found.append(.init(platform, field, "\"\(alias)\" is also the id of \(owner.id)",
                                   .consistentNormalization))
            } else if let owner = earlier.first(where: { $0.id != platform.id && $0.aliases.contains { $0.lowercased() == key } }) {
                found.append(.init(platform, field, "\"\(alias)\" is also an alias of \(owner.id)",
                                   .consistentNormalization))
            }
        }
        return found
    }

    /// Whether `name` is a non-empty run of `[a-z0-9-]`.
    static func isWellFormedName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { scalar in
            ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "-"
        }
    }

    static func isRuntimeVariant(_ name: String) -> Bool {
        runtimeVariants.contains(name.lowercased())
    }

    // MARK: - Projections

    /// Projections are canonical resource types, each listed once.
    static func projections(of platform: Platform) -> [GovernanceViolation] {
        var found: [GovernanceViolation] = []
        for (position, projection) in platform.projections.enumerated() {
            let field = "projections[\(position)]"
            if ResourceType(rawValue: projection) == nil {
                found.append(.init(platform, field, "\"\(projection)\" is not a canonical resource type",
                                   .canonicalProjections))
            }
            if let first = platform.projections.firstIndex(of: projection), first < position {
                found.append(.init(platform, field, "\"\(projection)\" is already listed at projections[\(first)]",
                                   .explicitProjections))
            }
        }
        return found
    }
}

extension GovernanceViolation {
    /// Shorthand for the lint: the platform row supplies the id.
    init(_ platform: Platform, _ field: String, _ message: String, _ rule: SeedRule) {
        self.init(platform: platform.id, field: field, message: message, rule: rule)
    }
}
