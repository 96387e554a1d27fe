#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads an operator's file (a config file, a support model) the way ``TokenFile`` reads a token: the
/// open never blocks, anything but a regular file is refused before a byte is read, and the read is
/// bounded. A FIFO or a device named by mistake is a clear error, never a server that hangs at start.
/// A symlink is followed to its target.
package enum RegularFile {
    /// Why a file cannot be read; says the path, never the content.
    package struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        package var description: String
    }

    /// The file's bytes, at most `limit`.
    package static func read(_ path: String, limit: Int) throws(Problem) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Problem(description: "cannot read \(path): \(POSIX.describe(errno))") }
        defer { POSIX.closeDescriptor(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw Problem(description: "cannot read \(path): \(POSIX.describe(errno))") }
        guard status.st_mode & S_IFMT == S_IFREG else { throw Problem(description: "\(path) is not a regular file") }
        let bytes: [UInt8]
        do {
            bytes = try LocalFile.readAll(descriptor, limit: limit)
        } catch {
            throw Problem(description: "cannot read \(path): \(error.description)")
        }
        guard bytes.count <= limit else { throw Problem(description: "\(path) is over \(limit) bytes") }
        return bytes
    }
}
