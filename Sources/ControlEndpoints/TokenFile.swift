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
public enum TokenFile {
    /// The longest token file read, in bytes.
    public static let maximumSize = 4096

    /// - Throws: ``TokenFileError`` when the file is missing, not a regular file, open to group or others, empty, or too long.
    public static func read(_ path: String) throws(TokenFileError) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
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
