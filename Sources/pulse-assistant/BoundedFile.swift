import Foundation

/// Reads a whole file that the CLI takes in at once (a transcript, a support model), refusing
/// anything that is not a regular file or is larger than a bound.
///
/// `Data(contentsOf:)` on `/dev/zero` grows until the process aborts, and on a FIFO blocks for ever
/// in `open`. The file is opened without blocking, checked with `fstat`, then read.
enum BoundedFile {
    /// Reads the file at `path`, of at most `limit` bytes.
    /// - Throws: a ``CommandFailure`` saying why it cannot be read, for the caller to prefix with what the file is.
    static func read(_ path: String, limit: Int) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw CommandFailure(String(cString: strerror(errno))) }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw CommandFailure(String(cString: strerror(errno))) }
        guard status.st_mode & S_IFMT == S_IFREG else { throw CommandFailure("not a regular file") }
        guard status.st_size <= limit else {
            throw CommandFailure("\(status.st_size) bytes, more than the \(limit >> 20) MiB such a file may have")
        }
        var bytes = [UInt8](repeating: 0, count: Int(status.st_size))
        var done = 0
        while done < bytes.count {
            let count = bytes.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress.map { $0 + done }, $0.count - done) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw CommandFailure(String(cString: strerror(errno))) }
            if count == 0 { break }
            done += count
        }
        return Array(bytes[0..<done])
    }
}
