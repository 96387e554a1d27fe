import Fleet
import Foundation
import Synchronization
import Testing

@testable import ResourceStore

/// The hand-off between an ingest's reading and writing threads.
struct IngestPipeTests {
    /// A batch of `count` metric samples, numbered from `first` by their `at`.
    static func batch(_ first: Int, _ count: Int = 1) -> [IngestOperation] {
        (first..<(first + count)).map { at in
            .metricSample(IngestRow.MetricSample(resourceId: "vm/1", metric: "cpu", at: Int64(at), value: 0), at: .line(at))
        }
    }

    static func numbers(_ rows: [IngestOperation]) -> [Int] {
        rows.map { row in
            guard case .metricSample(let sample, _) = row else { return -1 }
            return Int(sample.at)
        }
    }

    @Test func batchesArriveInOrderThroughASmallPipeThenTheEnd() throws {
        let pipe = IngestPipe(capacity: 2)
        Thread.detachNewThread {
            for index in 0..<200 {
                try? pipe.put(Self.batch(index * 3, 3))
            }
            pipe.close(.success(.jsonDocument))
        }
        var received: [Int] = []
        while true {
            switch try pipe.next() {
            case .rows(let rows): received += Self.numbers(rows)
            case .end(let format):
                #expect(format == .jsonDocument)
                #expect(received == Array(0..<600))
                return
            }
        }
    }

    @Test func theReadersErrorReachesTheWriterAfterWhatWasQueuedBeforeIt() throws {
        let pipe = IngestPipe(capacity: 4)
        try pipe.put(Self.batch(7))
        pipe.close(.failure(StoreError(message: "cannot read the snapshot")))

        guard case .rows(let rows) = try pipe.next() else {
            Issue.record("expected the queued batch first")
            return
        }
        #expect(Self.numbers(rows) == [7])
        #expect(throws: StoreError(message: "cannot read the snapshot")) { try pipe.next() }
    }

    @Test func cancellingReleasesAReaderWaitingOnAFullPipeAndWaitsForItToClose() throws {
        // Given a reader blocked on a full pipe
        let pipe = IngestPipe(capacity: 1)
        let outcome = Outcome()
        try pipe.put(Self.batch(0))
        Thread.detachNewThread {
            do {
                try pipe.put(Self.batch(1))
                outcome.set("put returned")
            } catch {
                outcome.set("cancelled")
            }
            pipe.close(.success(.jsonLines))
        }

        // When the writer cancels
        pipe.cancel()

        // Then the reader's put threw, and the reader had closed the pipe before cancel returned
        #expect(outcome.value == "cancelled")
    }
}

/// What the reading thread saw, set there and read by the test.
private final class Outcome: Sendable {
    private let state = Mutex<String?>(nil)

    var value: String? { state.withLock { $0 } }

    func set(_ text: String) {
        state.withLock { $0 = text }
    }
}
