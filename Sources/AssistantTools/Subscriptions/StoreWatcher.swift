import ResourceStore
import Synchronization

/// Notices that the store's content changed, by reading its snapshot record (`snapshotInfo`: when the
/// snapshot was made and ingested, how many resources) every ``interval``. An ingest, by this process
/// or another, rewrites that record in the transaction that commits the new content, so a new record
/// means new content; so will the background Pulse sync, which commits to the store the same way.
public final class StoreWatcher: Sendable {
    public let interval: Duration
    private let marker: @Sendable () -> [String: String]?
    private let task = Mutex<Task<Void, Never>?>(nil)

    /// - Parameters:
    ///   - marker: the store's snapshot record, `nil` while it cannot be read.
    public init(interval: Duration = .seconds(1), marker: @escaping @Sendable () -> [String: String]?) {
        self.interval = interval
        self.marker = marker
    }

    /// A watcher of `stores`.
    public convenience init(stores: StoreProvider, interval: Duration = .seconds(1)) {
        self.init(interval: interval) { try? stores.store().read { try $0.snapshotInfo() } }
    }

    /// Starts watching; `changed` is called after each change seen.
    func start(_ changed: @escaping @Sendable () -> Void) {
        let marker = self.marker, interval = self.interval
        let started = Task.detached(priority: .utility) {
            var last = marker()
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard !Task.isCancelled else { return }
                let now = marker()
                if now != last, now != nil {
                    last = now
                    changed()
                }
            }
        }
        task.withLock { $0 = started }
    }

    func stop() {
        task.withLock { $0 }?.cancel()
    }
}
