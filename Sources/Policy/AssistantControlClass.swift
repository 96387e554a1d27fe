/// The assistant-control classification of a platform, which decides every control call (DESIGN §5).
///
/// The seed requires assistant control to be "classified explicitly as one of" these four; unlike a
/// ``SupportValue`` there is no unknown case, because the control decision must never act on a guess.
package enum AssistantControlClass: String, CaseIterable, Sendable, Codable, Hashable {
    /// Executed through the platform's own control path.
    case supported
    /// Routed to the augmenting Pulse agent on the resource's host, never the API path.
    case augmentationOnly = "augmentation-only"
    /// Readable, never controllable.
    case readOnly = "read-only"
    /// Control does not apply.
    case notApplicable = "n/a"

    /// Classifies a support-floor cell; `nil` for a word that is not one of the four classes.
    package init?(_ value: SupportValue) {
        self.init(rawValue: value.rawValue)
    }
}
