/// For a platform whose primary mode is `hybrid`: which truth is primary and which only augments.
///
/// The seed allows `hybrid` "only when the primary owner and the augmentation rule are both explicit",
/// so both are plain sentences an operator can read, e.g. primary "the platform API poller",
/// augmentation "the unified Pulse agent on each node".
public struct HybridOwnership: Sendable, Codable, Hashable {
    /// The path whose truth defines the support floor.
    public var primary: String
    /// The path that only enriches it.
    public var augmentation: String

    public init(primary: String, augmentation: String) {
        self.primary = primary
        self.augmentation = augmentation
    }
}
