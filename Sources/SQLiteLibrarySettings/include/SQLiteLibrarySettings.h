#ifndef SQLITE_LIBRARY_SETTINGS_H
#define SQLITE_LIBRARY_SETTINGS_H

/// Turns off SQLite's memory statistics for the process, returning SQLite's result code.
///
/// With them on, every allocation SQLite makes takes one process-wide mutex to count itself, so
/// connections reading on different threads queue on it. It takes effect only before SQLite is
/// first used in the process (afterwards SQLite answers SQLITE_MISUSE and keeps counting).
///
/// `sqlite3_config` is variadic, which Swift cannot call: hence this one C function.
int pulse_sqlite_disable_memory_statistics(void);

#endif
