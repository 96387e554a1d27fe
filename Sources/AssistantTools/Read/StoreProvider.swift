import Dispatch
import Fleet
import ResourceStore
import Synchronization

/// Hands tools the resource store, which may still be being built.
///
/// The embedded demo store is generated and ingested in the background at
/// start-up, so that `initialize` is answered at once; the first tool call
/// that needs the store waits for it. A store that failed to build answers
/// every call with the reason.
package final class StoreProvider: Sendable {
    private let state = Mutex<Result<ResourceStore, StoreError>?>(nil)
    private let ready = DispatchSemaphore(value: 0)
    /// What the store is, for `instructions` and tool output: `demo fleet (embedded)` or a path.
    package let description: String
    /// How fresh the data is, for a store a sync keeps up to date; nil for a snapshot or the demo.
    package let freshness: DataFreshness?
    /// Where `get_metrics` reads history when the store holds none of its own (a Pulse-backed store).
    package let metricHistory: MetricHistoryCache?

    /// A store that is ready now; with `freshness`, one a ``FleetSyncLoop`` keeps in step, whose first
    /// use waits for the first sync (up to the bound `freshness` was given).
    package init(
        _ store: ResourceStore, description: String, freshness: DataFreshness? = nil, metricHistory: MetricHistoryCache? = nil
    ) {
        self.description = description
        self.freshness = freshness
        self.metricHistory = metricHistory
        state.withLock { $0 = .success(store) }
        ready.signal()
    }

    /// A store built by `build` on a background thread.
    package init(description: String, building build: @escaping @Sendable () throws -> ResourceStore) {
        self.description = description
        freshness = nil
        metricHistory = nil
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            let result: Result<ResourceStore, StoreError>
            do {
                result = .success(try build())
            } catch let error as StoreError {
                result = .failure(error)
            } catch {
                result = .failure(StoreError(message: "\(error)"))
            }
            state.withLock { $0 = result }
            ready.signal()
        }
    }

    /// The store when it is built (and built well) already; nil otherwise. Never waits.
    var storeIfReady: ResourceStore? {
        guard case .success(let store)? = state.withLock({ $0 }) else { return nil }
        return store
    }

    /// The store, waiting for it if it is still being built.
    package func store() throws(StoreError) -> ResourceStore {
        freshness?.waitForFirstSync()
        if let result = state.withLock({ $0 }) {
            return try result.get()
        }
        ready.wait()
        ready.signal()
        guard let result = state.withLock({ $0 }) else { throw StoreError(message: "the store was not built") }
        return try result.get()
    }
}
