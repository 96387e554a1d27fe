import Foundation

/// Reads a ``SnapshotSource`` in chunks and hands it to the reader of its form.
///
/// A file is read through a file descriptor into one reused buffer of ``chunkSize`` bytes: the
/// first chunk decides the form; JSON Lines streams chunk by chunk, a JSON document is gathered
/// whole (the document form is for fleets that fit in memory).
package struct SnapshotInput {
    static let chunkSize = 1 << 20

    let source: SnapshotSource
    /// The size of the snapshot, when known up front (for a progress bar).
    package let totalBytes: Int?
    private let descriptor: Int32?
    /// Whether JSON Lines must end with an end record (``SnapshotEndRecord``).
    package let requireEndRecord: Bool

    /// Opens the source.
    /// - Throws: ``StoreError`` when the file cannot be opened.
    package init(_ source: SnapshotSource, requireEndRecord: Bool = false) throws {
        self.source = source
        self.requireEndRecord = requireEndRecord
        switch source {
        case .bytes(let bytes):
            descriptor = nil
            totalBytes = bytes.count
        case .file(let path):
            let fd = open(path, O_RDONLY)
            guard fd >= 0 else {
                throw StoreError(message: "cannot open the snapshot \(path): \(String(cString: strerror(errno)))")
            }
            var info = stat()
            descriptor = fd
            totalBytes = fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG ? Int(info.st_size) : nil
        }
    }

    /// Closes the file, if one was opened.
    package func close() {
        if let descriptor { _ = Foundation.close(descriptor) }
    }

    /// Reads the whole snapshot into `visitor`; returns the form it was in.
    /// - Throws: ``StoreError`` on a read error, or what the visitor throws.
    package func read(into visitor: some SnapshotVisitor) throws -> SnapshotFormat {
        var buffer = [UInt8](repeating: 0, count: Self.chunkSize)
        var offset = 0
        var format: SnapshotFormat?
        var lines = SnapshotLineReader(visitor: visitor, requireEndRecord: requireEndRecord)
        var document: [UInt8] = []
        while true {
            let count = try nextChunk(into: &buffer, offset: &offset)
            if count == 0 { break }
            let chunkFormat = format ?? SnapshotFormat.detect(buffer[..<count])
            format = chunkFormat
            switch chunkFormat {
            case .jsonLines:
                try buffer.withUnsafeBufferPointer { try lines.feed(UnsafeBufferPointer(rebasing: $0[..<count])) }
                visitor.didRead(bytes: offset)
            case .jsonDocument:
                if let problem = Self.documentProblem(document, adding: buffer[..<count]) {
                    // Stop reading: `/dev/zero`, or a file with no newline, would otherwise grow without end.
                    visitor.log.append(SnapshotError(path: "snapshot", rule: problem))
                    return chunkFormat
                }
                document.append(contentsOf: buffer[..<count])
            }
        }
        switch format {
        case .jsonLines:
            try lines.finish()
        case .jsonDocument where document.contains(where: { !Self.isWhitespace($0) }):
            try SnapshotDocumentReader.read(document, into: visitor)
        case .jsonDocument, nil:
            // Refused rather than taken as "empty the store": an empty file is more often a
            // failed export than a wish to delete everything.
            visitor.log.append(SnapshotError(
                path: "snapshot",
                rule: "is empty; an empty snapshot is {\"resources\": []}, or a JSON Lines {\"generatedAt\": …} line"
            ))
        }
        return format ?? .jsonLines
    }

    /// Copies the next chunk into `buffer`; 0 at the end.
    private func nextChunk(into buffer: inout [UInt8], offset: inout Int) throws -> Int {
        switch source {
        case .bytes(let bytes):
            let count = min(Self.chunkSize, bytes.count - offset)
            guard count > 0 else { return 0 }
            buffer.replaceSubrange(0..<count, with: bytes[offset..<(offset + count)])
            offset += count
            return count
        case .file(let path):
            guard let descriptor else { return 0 }
            while true {
                let count = buffer.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
                if count >= 0 {
                    offset += count
                    return count
                }
                guard errno == EINTR else {
                    throw StoreError(message: "cannot read the snapshot \(path): \(String(cString: strerror(errno)))")
                }
            }
        }
    }

    /// The most of a JSON document read into memory: the document form is for fleets that fit.
    static let maximumDocumentBytes = 256 << 20

    /// Why the document cannot take `chunk` too: it does not start with `{`, or it grows past the bound.
    static func documentProblem(_ document: [UInt8], adding chunk: ArraySlice<UInt8>) -> String? {
        let first = document.first(where: { !isWhitespace($0) }) ?? chunk.first(where: { !isWhitespace($0) })
        if let first, first != UInt8(ascii: "{") {
            return "not valid JSON: a snapshot is a JSON object, or JSON Lines of objects; this starts with byte 0x"
                + String(first, radix: 16, uppercase: true)
        }
        guard document.count + chunk.count <= maximumDocumentBytes else {
            return "is a JSON document of more than \(maximumDocumentBytes >> 20) MiB (or no snapshot at all); "
                + "a snapshot this large is written as JSON Lines, one record per line"
        }
        return nil
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
