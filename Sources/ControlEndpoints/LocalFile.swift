#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The few file operations the reference endpoint and ``TokenFile`` need, with `errno` kept for messages.
enum LocalFile {
    /// The whole file, or nil when there is none.
    static func contents(of path: String) throws(FileError) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { return nil }
            throw FileError(code: errno)
        }
        defer { POSIX.closeDescriptor(descriptor) }
        return try readAll(descriptor)
    }

    /// Reads a descriptor to its end, or until it has read more than `limit` bytes (at most `limit + 1`,
    /// so a caller can tell a file of `limit` bytes from a longer one without reading the rest).
    static func readAll(_ descriptor: Int32, limit: Int = .max) throws(FileError) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while bytes.count <= limit {
            let room = limit - bytes.count
            let wanted = room >= chunk.count ? chunk.count : room + 1
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, wanted) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileError(code: errno)
            }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return bytes
    }

    /// Replaces `path` with `bytes` so a reader sees the old file or the new one, never half of one:
    /// write a temporary file beside it, flush it to disk, rename it over.
    static func writeAtomically(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws(FileError) {
        let temporary = "\(path).tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw FileError(code: errno) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress.map { $0 + offset }, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                let code = errno
                POSIX.closeDescriptor(descriptor)
                unlink(temporary)
                throw FileError(code: code)
            }
            offset += written
        }
        let synced = fsync(descriptor) == 0
        let code = errno
        POSIX.closeDescriptor(descriptor)
        guard synced else {
            unlink(temporary)
            throw FileError(code: code)
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw FileError(code: code)
        }
    }

    /// Runs `body` holding an exclusive `flock` on `lockPath` (created if missing).
    ///
    /// `flock` locks belong to an open file description, so two threads, two
    /// endpoints in one process, or two processes exclude each other alike.
    static func withExclusiveLock<T>(_ lockPath: String, _ body: () throws(FileError) -> T) throws(FileError) -> T {
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw FileError(code: errno) }
        defer { POSIX.closeDescriptor(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else { throw FileError(code: errno) }
        }
        return try body()
    }
}
