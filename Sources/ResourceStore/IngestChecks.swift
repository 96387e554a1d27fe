/// What an ingest checks beyond the records themselves, chosen by the caller.
///
/// The CLI's `ingest` asks for both; tests and fixtures that build JSON Lines by hand ask for neither.
package struct IngestChecks: Sendable, Hashable {
    /// JSON Lines must end with a ``SnapshotEndRecord`` (one present is always checked).
    package var requireEndRecord: Bool
    /// The rule a replacement that removes much of the fleet must pass; nil accepts any.
    package var shrinkGuard: FleetShrinkGuard?

    package init(requireEndRecord: Bool = false, shrinkGuard: FleetShrinkGuard? = nil) {
        self.requireEndRecord = requireEndRecord
        self.shrinkGuard = shrinkGuard
    }

    /// Everything: what an operator's ingest gets unless told otherwise.
    package static let strict = IngestChecks(requireEndRecord: true, shrinkGuard: .default)
}
