/// How far an ingest has got, for a progress bar on a terminal or periodic lines in a log.
///
/// Reported after every chunk read (1 MiB) and at each phase change: while reading, from the
/// ingest's reading thread, then from the writer's; never from both at once. A handler should only
/// draw or print, quickly.
package struct IngestProgress: Sendable, Hashable {
    package enum Phase: String, Sendable, Hashable {
        /// Reading, checking and writing records as they come.
        case reading
        /// Checking what needs the whole snapshot: parents, cycles, references.
        case checking
        /// Rebuilding the secondary indexes before the commit.
        case indexing
        /// Committed.
        case done
    }

    package var phase: Phase
    /// Records (lines or array elements) read so far, valid or not.
    package var recordsRead: Int
    /// Bytes of the snapshot consumed so far.
    package var bytesRead: Int
    /// The snapshot's size, when known up front.
    package var totalBytes: Int?

    package init(phase: Phase, recordsRead: Int, bytesRead: Int, totalBytes: Int?) {
        self.phase = phase
        self.recordsRead = recordsRead
        self.bytesRead = bytesRead
        self.totalBytes = totalBytes
    }

    /// bytesRead / totalBytes in 0…1, when the size is known.
    package var fractionRead: Double? {
        guard let totalBytes, totalBytes > 0 else { return nil }
        return min(1, Double(bytesRead) / Double(totalBytes))
    }
}
