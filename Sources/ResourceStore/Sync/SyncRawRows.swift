import Fleet
import GRDB

extension ResourceStore {
    /// The source rows the last syncs kept (`syncedRawRow`), by raw hash, for the next walk to
    /// recognise rows by their bytes; empty for a store no sync has written since v8.
    package func syncedRawRows() throws -> [String: FleetRawRow] {
        try database.read { db in
            var rows: [String: FleetRawRow] = [:]
            let cursor = try Row.fetchCursor(db, sql: "SELECT hash, resourceId, recordHash, memo FROM syncedRawRow")
            while let row = try cursor.next() {
                let hash: String = row[0]
                rows[hash] = FleetRawRow(hash: hash, resourceId: row[1], memo: row[3], recordHash: row[2])
            }
            return rows
        }
    }
}

/// Keeps a checked fleet's raw rows (``CheckedFleet/rawRows``) after its resources are written:
/// each row just read is stored with the content hash its resource now has, a recognised one is left
/// as it is, and a row this walk did not meet is deleted.
///
/// A partial fleet (``Fleet/FleetBatch/isPartial``) keeps rows it lacks in the store, so the rows
/// kept no longer describe one walk: every raw row is dropped, and the next sync reads every row
/// (settling what moved, as it settles the rows kept unseen).
enum SyncRawRows {
    /// Returns how many rows were written and deleted.
    /// - Parameter recordHash: the content hash the store now keeps for a resource id (nil for none).
    static func keep(
        _ rows: [FleetRawRow], partial: Bool, recordHash: (String) -> String?, _ db: Database
    ) throws -> (written: Int, removed: Int) {
        if partial {
            try db.execute(sql: "DELETE FROM syncedRawRow")
            return (0, db.changesCount)
        }
        let put = try IngestStatement(db, sql: "INSERT OR REPLACE INTO syncedRawRow (hash, resourceId, recordHash, memo) VALUES (?, ?, ?, ?)")
        // In hash order, so that the table's B-tree is appended to rather than split at random
        // pages (a first sync writes every row).
        let fresh = rows.filter { !$0.isRecognised }.sorted { $0.hash < $1.hash }
        for row in fresh {
            try put.run(.text(row.hash), .text(row.resourceId), .text(row.resourceId.flatMap(recordHash)), .text(row.memo))
        }
        let written = fresh.count
        // Every row recognised (distinct: a row's hash covers its id), as many as are kept: none gone.
        if written == 0, try Int.fetchOne(db, sql: "SELECT count(*) FROM syncedRawRow") == rows.count {
            return (0, 0)
        }
        let seen = Set(rows.map(\.hash))
        var gone: [String] = []
        let cursor = try String.fetchCursor(db, sql: "SELECT hash FROM syncedRawRow")
        while let hash = try cursor.next() {
            if !seen.contains(hash) { gone.append(hash) }
        }
        let drop = try IngestStatement(db, sql: "DELETE FROM syncedRawRow WHERE hash = ?")
        for hash in gone { try drop.run(.text(hash)) }
        return (written, gone.count)
    }
}
