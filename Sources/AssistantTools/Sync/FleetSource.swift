import Fleet

/// Where a synced store's fleet comes from: a running Pulse server (``FleetSyncLoop`` calls it at
/// start and then every interval). The CLI wires the Pulse client behind it.
package protocol FleetSource: Sendable {
    /// What it is, for instructions and logs: `Pulse at https://pulse.lan:7655` (never a credential).
    var description: String { get }

    /// Reads the whole fleet once.
    /// - Throws: when the source cannot be read as a whole (unreachable, refused, a broken page): the
    ///   store keeps what the last good read left.
    func fetch() async throws -> FleetBatch

    /// Reads the whole fleet once, recognising the rows whose raw bytes are among `known` (the rows
    /// the store kept, ``ResourceStore/ResourceStore/syncedRawRows()``) without reading them again.
    func fetch(known: [String: FleetRawRow]) async throws -> FleetBatch
}

extension FleetSource {
    /// A source that cannot recognise rows by their bytes reads every row.
    package func fetch(known: [String: FleetRawRow]) async throws -> FleetBatch {
        try await fetch()
    }
}
