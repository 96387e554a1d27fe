/// A snapshot that was not ingested, with every error found in it.
///
/// Thrown by ``ResourceStore/ingest(_:manifest:now:progress:)`` after the ingest transaction rolled
/// back, so the store still holds what it held before. Validation goes on past the first error, so
/// one run shows everything to fix; the description lists at most ``shownLimit`` of them:
///
/// ```
/// snapshot rejected: 142 errors
///   resources[0].status: must be one of online, offline, warning, unknown (value: "up")
///   …
///   … and 42 more (142 errors in all)
/// ```
package struct SnapshotRejection: Error, Sendable, Hashable, CustomStringConvertible {
    /// The first errors found, in the order they were found: at most ``retainedLimit``.
    package var errors: [SnapshotError]
    /// How many errors were found in all, including those not retained.
    package var totalCount: Int

    /// How many errors the description lists.
    package static let shownLimit = 100
    /// How many errors are kept in memory; a snapshot with a million broken rows keeps only these.
    package static let retainedLimit = 100

    package init(errors: [SnapshotError], totalCount: Int? = nil) {
        self.errors = errors
        self.totalCount = max(totalCount ?? errors.count, errors.count)
    }

    /// A rejection for a single error that stops the ingest before validation (an unreadable file).
    package init(_ error: SnapshotError) {
        self.init(errors: [error])
    }

    package var description: String {
        let noun = totalCount == 1 ? "error" : "errors"
        var lines = ["snapshot rejected: \(totalCount) \(noun)"]
        let shown = errors.prefix(Self.shownLimit)
        lines += shown.map { "  \($0)" }
        if totalCount > shown.count {
            lines.append("  … and \(totalCount - shown.count) more (\(totalCount) errors in all)")
        }
        return lines.joined(separator: "\n")
    }
}
