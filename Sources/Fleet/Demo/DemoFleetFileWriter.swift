import Foundation

/// A file written through one reusable byte buffer, flushed in large chunks.
///
/// A million-resource fleet is about a gigabyte of JSON: it must never be one string in memory,
/// and writing it record by record would be a system call per line. Callers append bytes to
/// ``buffer`` and call ``flushIfFull()``; ``close()`` writes what is left.
/// Not `Sendable`: one writer belongs to one generation loop.
struct DemoFleetFileWriter {
    /// Bytes not yet written; append to it directly.
    var buffer: [UInt8] = []
    private let handle: FileHandle
    private let path: String
    private let chunkSize: Int

    /// Creates (or truncates) the file at `path`.
    /// - Throws: ``DemoFleetWriteError`` when the file cannot be created.
    init(path: String, chunkSize: Int = 1 << 20) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path)
        else { throw DemoFleetWriteError(path: path, reason: "cannot create the file") }
        self.handle = handle
        self.path = path
        self.chunkSize = chunkSize
        buffer.reserveCapacity(chunkSize + 64 * 1_024)
    }

    /// Whether the buffer holds a chunk, and should be written out.
    var isFull: Bool { buffer.count >= chunkSize }

    /// Writes the buffer out once it holds a chunk.
    mutating func flushIfFull() throws {
        if isFull { try flush() }
    }

    mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            throw DemoFleetWriteError(path: path, reason: "\(error)")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is left and closes the file.
    mutating func close() throws {
        try flush()
        do {
            try handle.close()
        } catch {
            throw DemoFleetWriteError(path: path, reason: "\(error)")
        }
    }
}

/// Writing a demo fleet to a file failed.
package struct DemoFleetWriteError: Error, Sendable, Equatable, CustomStringConvertible {
    package var path: String
    package var reason: String

    package var description: String { "cannot write the demo fleet to \(path): \(reason)" }
}
