/// For a platform whose primary mode is `hybrid`: which truth is primary and which only augments.
///
/// The seed allows `hybrid` "only when the primary owner and the augmentation rule are both explicit",
/// so both are plain sentences an operator can read, e.g. primary "the platform API poller",
/// augmentation "the unified Pulse agent on each node".
package struct HybridOwnership: Sendable, Codable, Hashable {
    /// The path whose truth defines the support floor.
    package var primary: String
    /// The path that only enriches it.
    package var augmentation: String

    package init(primary: String, augmentation: String) {
        self.primary = primary
        self.augmentation = augmentation
    }
}
