/// What an ingest checks beyond the records themselves, chosen by the caller.
///
/// The CLI's `ingest` asks for both; tests and fixtures that build JSON Lines by hand ask for neither.
public struct IngestChecks: Sendable, Hashable {
    /// JSON Lines must end with a ``SnapshotEndRecord`` (one present is always checked).
    public var requireEndRecord: Bool
    /// The rule a replacement that removes much of the fleet must pass; nil accepts any.
    public var shrinkGuard: FleetShrinkGuard?

    public init(requireEndRecord: Bool = false, shrinkGuard: FleetShrinkGuard? = nil) {
        self.requireEndRecord = requireEndRecord
        self.shrinkGuard = shrinkGuard
    }

    /// Everything: what an operator's ingest gets unless told otherwise.
    public static let strict = IngestChecks(requireEndRecord: true, shrinkGuard: .default)
}
