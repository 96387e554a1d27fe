/// One place where a manifest breaks a rule of the seed.
///
/// Its ``description`` is one self-contained line — platform, JSON field path, what is wrong, and the
/// rule in the seed's words — so a report can be read, grepped and diffed line by line:
///
/// ```text
/// proxmox-pbs: supportFloor.storage: "partial" is not a support value (supported, augmentation-only,
///   read-only, n/a) (seed, Support Floor: "A platform counts as supported only when …")
/// ```
package struct GovernanceViolation: Sendable, Codable, Hashable, CustomStringConvertible {
    /// The platform row at fault, as written in the manifest.
    package var platform: PlatformID
    /// The field inside that row, e.g. `supportFloor.storage`, `projections[2]`, `aliases[0]`.
    package var field: String
    /// What is wrong, in one sentence without the platform or field.
    package var message: String
    /// The seed rule this breaks.
    package var rule: SeedRule

    package init(platform: PlatformID, field: String, message: String, rule: SeedRule) {
        self.platform = platform
        self.field = field
        self.message = message
        self.rule = rule
    }

    package var description: String {
        "\(platform): \(field): \(message) (\(rule.citation))"
    }
}
