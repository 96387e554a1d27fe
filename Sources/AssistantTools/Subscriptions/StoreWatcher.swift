import Dispatch
import ResourceStore
import Synchronization

/// Notices that the store's content changed, by reading its snapshot record (`snapshotInfo`: when the
/// snapshot was made and ingested, how many resources) every ``interval``. An ingest, by this process
/// or another, rewrites that record in the transaction that commits the new content, so a new record
/// means new content; so will the background Pulse sync, which commits to the store the same way.
package final class StoreWatcher: Sendable {
    package let interval: Duration
    private let marker: @Sendable () -> [String: String]?
    private let source = Mutex<Timer?>(nil)

    /// - Parameters:
    ///   - marker: the store's snapshot record, `nil` while it cannot be read.
    package init(interval: Duration = .seconds(1), marker: @escaping @Sendable () -> [String: String]?) {
        self.interval = interval
        self.marker = marker
    }

    /// A watcher of `stores`.
    package convenience init(stores: StoreProvider, interval: Duration = .seconds(1)) {
        self.init(interval: interval) { try? stores.store().read { try $0.snapshotInfo() } }
    }

    /// Starts watching; `changed` is called after each change seen. The record is read on a queue of
    /// its own, never on a Swift concurrency thread (reading may wait for a store still being built).
    func start(_ changed: @escaping @Sendable () -> Void) {
        let marker = self.marker
        let queue = DispatchQueue(label: "pulse-assistant.store-watcher", qos: .utility)
        let timer = DispatchSource.makeTimerSource(queue: queue)
        let last = LastSeen()
        timer.setEventHandler {
            let now = marker()
            let differs = last.record.withLock { seen -> Bool in
                defer { if now != nil { seen = .some(now) } }
                guard case .some(let before) = seen, let now else { return false }
                return before != now
            }
            if differs { changed() }
        }
        let nanoseconds = max(1_000_000, interval.components.seconds * 1_000_000_000 + interval.components.attoseconds / 1_000_000_000)
        timer.schedule(deadline: .now(), repeating: .nanoseconds(Int(nanoseconds)))
        timer.resume()
        let box = Timer(timer)
        source.withLock { $0 = box }
    }

    func stop() {
        source.withLock { timer in
            timer?.source.cancel()
            timer = nil
        }
    }
}

/// The record a watcher saw last (`.none` before the first reading).
private final class LastSeen: Sendable {
    let record = Mutex<[String: String]??>(.none)
}

/// A dispatch timer, which is thread-safe, held across threads.
private final class Timer: @unchecked Sendable {
    let source: any DispatchSourceTimer

    init(_ source: any DispatchSourceTimer) {
        self.source = source
    }
}
