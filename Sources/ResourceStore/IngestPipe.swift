import Fleet
import Foundation

/// Carries batches of validated rows from the reading thread to the writing thread, in order.
///
/// ```
/// reading thread                        writing thread
///   put(rows) ─ waits while full ──▶      next() → .rows(...) ─ insert
///   close(.success(format)) ─────▶      next() → .end(format)
///   close(.failure(error)) ──────▶      next() throws error
///   put(rows) throws Cancelled  ◀──     cancel()  (an insert failed)
/// ```
/// Bounded: at most ``capacity`` batches wait, so a snapshot of any size holds only those in
/// memory besides what each thread is working on.
final class IngestPipe: @unchecked Sendable {  // every stored property is guarded by `condition`
    enum Item {
        case rows([IngestOperation])
        /// The reader is done; the snapshot was in this form.
        case end(SnapshotFormat)
    }

    /// Thrown to the reader by ``put(_:)`` once the writer has given up.
    struct Cancelled: Error {}

    let capacity: Int
    private let condition = NSCondition()
    private var queued: [[IngestOperation]] = []
    private var outcome: Result<SnapshotFormat, any Error>?
    private var cancelled = false

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Queues a batch, waiting while the pipe is full.
    /// - Throws: ``Cancelled`` when the writer has cancelled.
    func put(_ rows: [IngestOperation]) throws(Cancelled) {
        condition.lock()
        defer { condition.unlock() }
        while queued.count >= capacity, !cancelled {
            condition.wait()
        }
        guard !cancelled else { throw Cancelled() }
        queued.append(rows)
        condition.broadcast()
    }

    /// The reader's last word: the form it read, or the error that stopped it.
    func close(_ outcome: Result<SnapshotFormat, any Error>) {
        condition.lock()
        defer { condition.unlock() }
        self.outcome = outcome
        condition.broadcast()
    }

    /// The next batch, or the end once every batch has been taken; waits while there is neither.
    /// - Throws: the error that stopped the reader.
    func next() throws -> Item {
        condition.lock()
        defer { condition.unlock() }
        while queued.isEmpty, outcome == nil {
            condition.wait()
        }
        if !queued.isEmpty {
            condition.broadcast()
            return .rows(queued.removeFirst())
        }
        switch outcome {
        case .success(let format): return .end(format)
        case .failure(let error): throw error
        case nil: preconditionFailure("the loop above waits for a batch or an outcome")
        }
    }

    /// Stops the reader (its next ``put(_:)`` throws) and waits until it has closed the pipe, so
    /// that nothing it uses is released under it.
    func cancel() {
        condition.lock()
        defer { condition.unlock() }
        cancelled = true
        queued.removeAll()
        condition.broadcast()
        while outcome == nil {
            condition.wait()
        }
    }
}
