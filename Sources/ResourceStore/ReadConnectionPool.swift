import GRDB
import Synchronization

/// The connections ``StoreReader``s read through, and the transaction around each read.
///
/// A file store reads through its own read-only connections (``ReadConnection``), one checked out
/// per read and given back after, opened on first need and never waited for: reads run in
/// parallel, each inside one `BEGIN … COMMIT`, so every query of one answer sees one snapshot of
/// the WAL store, never half of an ingest. The ingest and every write stay on GRDB's writer.
///
/// An in-memory store is one `DatabaseQueue` connection, which serializes every access, the ingest
/// included: its reads go through that connection inside `inDatabase`, with no transaction of
/// their own (a read already sees a whole snapshot), and keep their prepared statements between
/// reads.
final class ReadConnectionPool: Sendable {
    private enum Source {
        case file(path: String)
        case queue(DatabaseQueue)
    }

    /// Idle connections kept for the next reads; more may be open while many reads run at once.
    static let maximumIdle = 8

    private let source: Source
    private let idle = Mutex<[ReadConnection]>([])
    /// The queue's connection as a ``ReadConnection``, made on the first read.
    private let queueConnection = Mutex<ReadConnection?>(nil)

    /// Reads of the store file at `path`.
    init(path: String) {
        source = .file(path: path)
    }

    /// Reads through the connection of `queue`.
    init(queue: DatabaseQueue) {
        source = .queue(queue)
    }

    /// Runs `body` on a connection inside one read transaction.
    ///
    /// - Throws: what `body` throws, or a `DatabaseError` when no connection can be opened or the
    ///   transaction cannot begin.
    func read<T>(_ body: (ReadConnection) throws -> T) throws -> T {
        switch source {
        case .queue(let queue):
            return try queue.inDatabase { db in
                try body(connection(of: db))
            }
        case .file(let path):
            let connection = try checkOut(path: path)
            defer { checkIn(connection) }
            try connection.execute("BEGIN")
            do {
                let result = try body(connection)
                try connection.execute("COMMIT")
                return result
            } catch {
                if connection.isInTransaction {
                    try? connection.execute("ROLLBACK")
                }
                throw error
            }
        }
    }

    private func checkOut(path: String) throws -> ReadConnection {
        if let connection = idle.withLock({ $0.popLast() }) {
            return connection
        }
        return try ReadConnection(path: path)
    }

    private func checkIn(_ connection: ReadConnection) {
        // A connection still in a transaction would pin an old snapshot for the next read: close it.
        guard !connection.isInTransaction else { return }
        idle.withLock { connections in
            if connections.count < Self.maximumIdle {
                connections.append(connection)
            }
        }
    }

    /// The queue's connection, called inside `inDatabase`, which serializes every caller.
    private func connection(of db: Database) throws -> ReadConnection {
        try queueConnection.withLock { connection in
            if let connection {
                return connection
            }
            guard let handle = db.sqliteConnection else {
                throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "the in-memory store is closed")
            }
            let made = ReadConnection(borrowing: handle)
            connection = made
            return made
        }
    }
}
