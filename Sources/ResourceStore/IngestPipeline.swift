import Fleet
import Foundation

/// Runs the two halves of an ingest side by side: reading, parsing and validating on a thread of
/// its own, inserting on the caller's (the database writer's) thread.
///
/// Each half is about half of an ingest's work, so on two cores the two together take little more
/// than the longer one. The rows go through an ``IngestPipe`` in reading order, so the store and
/// the errors are the same as one thread doing both would give.
enum IngestPipeline {
    /// Batches in flight between the threads: a few MiB at most.
    static let capacity = 8

    /// Reads `input` into `ingestion` on a new thread while `sink` writes its rows here; returns
    /// once both are done, with the form the snapshot was in.
    /// - Throws: what stopped the reader (an unreadable file) or the writer (a database error);
    ///   either way the other thread has stopped too.
    static func run(
        _ input: SnapshotInput, into ingestion: SnapshotIngestion, writingTo sink: IngestSink
    ) throws -> SnapshotFormat {
        let pipe = ingestion.pipe
        let reader = Handover(ingestion)
        let thread = Thread {
            do {
                let format = try input.read(into: reader.value)
                try reader.value.flush()
                pipe.close(.success(format))
            } catch {
                pipe.close(.failure(error))
            }
        }
        thread.name = "pulse-assistant ingest reader"
        thread.start()
        do {
            while true {
                switch try pipe.next() {
                case .rows(let rows): try sink.write(rows)
                case .end(let format): return format
                }
            }
        } catch {
            pipe.cancel()
            throw error
        }
    }
}

/// A value given to another thread, which is its only user until it signals that it is done.
private struct Handover<Value>: @unchecked Sendable {
    let value: Value

    init(_ value: Value) {
        self.value = value
    }
}
