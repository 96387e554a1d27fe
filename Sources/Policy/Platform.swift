/// One row of the platform-support manifest: everything the seed says a platform must declare.
///
/// Decoding is deliberately lenient about what the governance lint judges (support values, projections,
/// a missing floor) and strict about structure (a misspelt governance state fails with its JSON path).
/// Encoding writes every key, `null` included, so a re-encoded manifest shows what is absent on purpose.
package struct Platform: Sendable, Codable, Hashable, Identifiable {
    package var id: PlatformID
    package var displayName: String
    /// Other names that resolve to this id, case-insensitively (`pve`, `k8s`).
    package var aliases: [String]
    /// A grouping aid (`Proxmox`), never the support unit; `nil` where the seed names none.
    package var family: String?
    package var governance: GovernanceState
    /// `nil` for presentation-only vocabulary.
    package var readinessStage: ReadinessStage?
    /// `nil` for presentation-only vocabulary.
    package var primaryMode: IngestionMode?
    /// Required when ``primaryMode`` is `hybrid`.
    package var hybrid: HybridOwnership?
    /// `nil` where the seed says "none" or "none today".
    package var augmentation: Augmentation?
    /// The seed's Setup column, e.g. "platform connections".
    package var onboardingPath: String?
    /// The only supported entry point where the seed narrows one (vSphere: `vCenter`).
    package var entryPoint: String?
    /// Canonical resource types as written; see ``resourceTypes`` for the recognised ones.
    package var projections: [String]
    /// The support-matrix row; only governance-`supported` platforms carry one.
    package var supportFloor: SupportFloor?
    /// A proposed floor that is explicitly not a support claim (vSphere phase 1).
    package var proposedFloor: SupportFloor?

    package init(
        id: PlatformID, displayName: String, aliases: [String] = [], family: String? = nil,
        governance: GovernanceState, readinessStage: ReadinessStage? = nil, primaryMode: IngestionMode? = nil,
        hybrid: HybridOwnership? = nil, augmentation: Augmentation? = nil, onboardingPath: String? = nil,
        entryPoint: String? = nil, projections: [String] = [], supportFloor: SupportFloor? = nil,
        proposedFloor: SupportFloor? = nil
    ) {
        self.id = id
        self.displayName = displayName
        self.aliases = aliases
        self.family = family
        self.governance = governance
        self.readinessStage = readinessStage
        self.primaryMode = primaryMode
        self.hybrid = hybrid
        self.augmentation = augmentation
        self.onboardingPath = onboardingPath
        self.entryPoint = entryPoint
        self.projections = projections
        self.supportFloor = supportFloor
        self.proposedFloor = proposedFloor
    }

    private enum CodingKeys: String, CodingKey {
        case id, displayName, aliases, family, governance, readinessStage, primaryMode, hybrid
        case augmentation, onboardingPath, entryPoint, projections, supportFloor, proposedFloor
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(PlatformID.self, forKey: .id)
        displayName = try c.decode(String.self, forKey: .displayName)
        aliases = try c.decodeIfPresent([String].self, forKey: .aliases) ?? []
        family = try c.decodeIfPresent(String.self, forKey: .family)
        governance = try c.decode(GovernanceState.self, forKey: .governance)
        readinessStage = try c.decodeIfPresent(ReadinessStage.self, forKey: .readinessStage)
        primaryMode = try c.decodeIfPresent(IngestionMode.self, forKey: .primaryMode)
        hybrid = try c.decodeIfPresent(HybridOwnership.self, forKey: .hybrid)
        augmentation = try c.decodeIfPresent(Augmentation.self, forKey: .augmentation)
        onboardingPath = try c.decodeIfPresent(String.self, forKey: .onboardingPath)
        entryPoint = try c.decodeIfPresent(String.self, forKey: .entryPoint)
        projections = try c.decodeIfPresent([String].self, forKey: .projections) ?? []
        supportFloor = try c.decodeIfPresent(SupportFloor.self, forKey: .supportFloor)
        proposedFloor = try c.decodeIfPresent(SupportFloor.self, forKey: .proposedFloor)
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(displayName, forKey: .displayName)
        try c.encode(aliases, forKey: .aliases)
        try c.encode(family, forKey: .family)
        try c.encode(governance, forKey: .governance)
        try c.encode(readinessStage, forKey: .readinessStage)
        try c.encode(primaryMode, forKey: .primaryMode)
        try c.encode(hybrid, forKey: .hybrid)
        try c.encode(augmentation, forKey: .augmentation)
        try c.encode(onboardingPath, forKey: .onboardingPath)
        try c.encode(entryPoint, forKey: .entryPoint)
        try c.encode(projections, forKey: .projections)
        try c.encode(supportFloor, forKey: .supportFloor)
        try c.encode(proposedFloor, forKey: .proposedFloor)
    }
}
