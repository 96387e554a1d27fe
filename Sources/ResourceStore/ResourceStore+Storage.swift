/// Capacity of one kind of storage on one platform: the totals `get_storage_summary` leads with.
package struct StorageTotals: Sendable, Equatable {
    package var type: String
    package var platform: String
    package var count: Int
    /// Resources whose status is not `online`.
    package var unhealthy: Int
    package var totalBytes: Int64
    package var usedBytes: Int64
}

extension ResourceStore {
    /// The canonical storage types: pools and datastores, Ceph, physical disks.
    package static let storageTypes = ["storage", "ceph", "physical-disk"]
}

extension StoreReader {
    /// Totals by type and platform over the storage resources `query` filters (its order and page are ignored).
    package func storageTotals(_ query: ResourceQuery) throws -> [StorageTotals] {
        var filtered = query
        filtered.types = query.types.isEmpty ? ResourceStore.storageTypes : query.types
        let count = ResourceSQL.count(filtered)
        let sql = count.sql.replacingOccurrences(
            of: "SELECT count(*) FROM resource",
            with: """
                SELECT type, platform, count(*), sum(status != 'online'),
                       sum(ifnull(json_extract(record, '$.metrics.diskTotal'), 0)),
                       sum(ifnull(json_extract(record, '$.metrics.diskUsed'), 0))
                FROM resource
                """
        ) + " GROUP BY type, platform ORDER BY type, platform"
        return try rows(sql, count.arguments) {
            StorageTotals(type: $0[0], platform: $0[1], count: $0[2], unhealthy: $0[3], totalBytes: $0[4], usedBytes: $0[5])
        }
    }
}

extension StoreReader {
    /// Facts about the ingested snapshot (`generatedAt`, `ingestedAt`, counts, source), by key.
    package func snapshotInfo() throws -> [String: String] {
        Dictionary(
            try rows("SELECT key, value FROM snapshotInfo") { ($0[0] as String, $0[1] as String) },
            uniquingKeysWith: { first, _ in first }
        )
    }

    /// How many resources the store holds.
    package func resourceCount() throws -> Int {
        try first("SELECT count(*) FROM resource") { $0[0] as Int } ?? 0
    }
}
