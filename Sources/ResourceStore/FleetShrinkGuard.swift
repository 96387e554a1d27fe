/// Refuses to replace a fleet with one much smaller: a cut file, a partial export, or a Pulse server
/// that answered with a fraction of its resources looks, to a loader, like a fleet that shrank.
///
/// ```
/// before 309, after 123   lost 186 (60 %)  > 25 % and > 10   refused
/// before 309, after 290   lost 19 (6 %)                      accepted
/// before 8,   after 0     lost 8                      ≤ 10   accepted: small fleets change by whole hosts
/// ```
/// Pure: it judges two counts, so an ingest (``ResourceStore/ingest(_:manifest:now:checks:progress:)``)
/// and a sync from a Pulse server apply the same rule. Growth is never refused.
package struct FleetShrinkGuard: Sendable, Hashable {
    /// The largest share of the fleet one replacement may remove: 0.25 is a quarter.
    package var maximumLoss: Double
    /// A loss of at most this many resources is accepted whatever its share.
    package var tolerance: Int

    /// A quarter of the fleet, beyond ten resources.
    package static let `default` = FleetShrinkGuard(maximumLoss: 0.25, tolerance: 10)

    package init(maximumLoss: Double, tolerance: Int) {
        self.maximumLoss = maximumLoss
        self.tolerance = tolerance
    }

    /// Throws when going from `before` resources to `after` loses more than the guard allows.
    package func check(before: Int, after: Int) throws(FleetShrinkRefusal) {
        let lost = before - after
        guard lost > tolerance, Double(lost) > Double(before) * maximumLoss else { return }
        throw FleetShrinkRefusal(before: before, after: after, maximumLoss: maximumLoss)
    }
}

/// A replacement refused by a ``FleetShrinkGuard``, said for an operator.
package struct FleetShrinkRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    package var before: Int
    package var after: Int
    package var maximumLoss: Double

    package var description: String {
        let share = before > 0 ? Int((Double(before - after) / Double(before) * 100).rounded()) : 100
        return "the new fleet has \(after) resources where the store has \(before) (\(share) % fewer; at most "
            + "\(Int((maximumLoss * 100).rounded())) % may go at once): a cut file or a partial export? "
            + "Replacing it anyway must be asked for explicitly"
    }
}
