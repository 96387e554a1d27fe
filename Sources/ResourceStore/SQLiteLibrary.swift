import GRDBSQLite
import SQLiteLibrarySettings

/// SQLite's process-wide settings, made once, before the process opens its first connection: every
/// store is opened through ``ResourceStore``, which reads ``memoryStatisticsResult`` first.
package enum SQLiteLibrary {
    /// SQLite's answer to turning its memory statistics off: `SQLITE_OK`; `SQLITE_MISUSE` if something
    /// used SQLite in this process before any store was opened, and then they stay on (slower, not wrong).
    ///
    /// With them on, every allocation SQLite makes counts itself under one process-wide mutex, which
    /// read connections on different threads queue on.
    package static let memoryStatisticsResult: Int32 = pulse_sqlite_disable_memory_statistics()
}
