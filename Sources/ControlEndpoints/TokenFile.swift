#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a shared secret from a file that only its owner can read.
///
/// The file holds the token on one line (surrounding whitespace and the final
/// newline are dropped). Its mode must give group and others nothing — 0600
/// or stricter — since anyone who can read the token can send control actions.
/// The mode is checked on the opened file, so a swap between check and read
/// changes nothing.
///
/// Anything but a regular file is refused before a byte is read, and the open never waits: a FIFO
/// (which would block `open` until a writer came, and then block `read`), a device such as
/// `/dev/zero`, a socket or a directory is `notARegularFile` at once. A symlink is followed: what is
/// checked and read is its target, which must itself be a regular file of mode `0600` or stricter
/// (a Kubernetes secret volume, whose files are symlinks into `..data/`, works as it is).
package enum TokenFile {
    /// The longest token file read, in bytes.
    package static let maximumSize = 4096

    /// - Throws: ``TokenFileError`` when the file is missing, not a regular file, open to group or others, empty, or too long.
    package static func read(_ path: String) throws(TokenFileError) -> String {
        // O_NONBLOCK: opening a FIFO for reading returns at once instead of waiting for a writer; it
        // changes nothing for a regular file, the only kind read.
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .unreadable(path: path, reason: POSIX.describe(errno)) }
        defer { POSIX.closeDescriptor(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .unreadable(path: path, reason: POSIX.describe(errno)) }
        guard status.st_mode & S_IFMT == S_IFREG else { throw .notARegularFile(path: path) }
        let permissions = status.st_mode & 0o777
        guard permissions & 0o077 == 0 else { throw .tooOpen(path: path, mode: UInt32(permissions)) }
        let bytes: [UInt8]
        do {
            bytes = try LocalFile.readAll(descriptor, limit: maximumSize)
        } catch {
            throw .unreadable(path: path, reason: error.description)
        }
        guard bytes.count <= maximumSize else { throw .tooLong(path: path) }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .notText(path: path) }
        let token = text.trimmingWhitespace
        guard !token.isEmpty else { throw .empty(path: path) }
        guard !token.contains(where: \.isNewline) else { throw .severalLines(path: path) }
        return token
    }
}
