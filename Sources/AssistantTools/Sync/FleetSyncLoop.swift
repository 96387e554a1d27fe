import Fleet
import Logging
import Policy
import ResourceStore

/// Keeps a store in step with a ``FleetSource``: one sync at start, then one every interval, until
/// cancelled. A failed sync leaves the store as the last good one left it; the next interval tries
/// again.
///
/// ```
/// fetch (async, the source's own I/O) ─▶ check + write (seconds at scale, never on a Swift
///                                        concurrency thread) ─▶ freshness
/// ```
/// The loop runs on its own threads (``ResourceStore/StoreExecutor/background``, at a lower
/// priority than the process), so that a sync takes what CPU tool calls leave it.
package struct FleetSyncLoop: Sendable {
    let source: any FleetSource
    let store: ResourceStore
    let manifest: PlatformSupportManifest
    let freshness: DataFreshness
    let clock: ServerClock
    let shrinkGuard: FleetShrinkGuard?
    let threads: StoreExecutor
    let logger: Logger

    package init(
        source: any FleetSource, store: ResourceStore, manifest: PlatformSupportManifest, freshness: DataFreshness,
        clock: ServerClock, shrinkGuard: FleetShrinkGuard? = .default, threads: StoreExecutor = .background, logger: Logger
    ) {
        self.source = source
        self.store = store
        self.manifest = manifest
        self.freshness = freshness
        self.clock = clock
        self.shrinkGuard = shrinkGuard
        self.threads = threads
        self.logger = logger
    }

    /// Starts the loop; cancel the task to stop it.
    package func start() -> Task<Void, Never> {
        Task.detached(priority: .utility) {
            while !Task.isCancelled {
                await syncOnce()
                try? await Task.sleep(for: freshness.interval)
            }
        }
    }

    /// One sync: read, check, write, on the loop's threads; the outcome goes to the freshness record
    /// and the store's `syncStatus`. Returns the summary, nil when it failed.
    @discardableResult
    package func syncOnce() async -> SyncSummary? {
        await withTaskExecutorPreference(threads) { await syncOnHand() }
    }

    /// ``syncOnce()``, on whatever threads the caller's task prefers.
    private func syncOnHand() async -> SyncSummary? {
        // The rows the last sync kept, so that the walk recognises unchanged ones by their bytes; a
        // store that cannot say reads every row.
        let known = (try? store.syncedRawRows()) ?? [:]
        var outcome = await fetchAndWrite(known: known)
        if case .failure(let error) = outcome, let stale = error as? FleetRecognitionStale {
            logger.notice("re-reading every row", metadata: ["reason": "\(stale)"])
            outcome = await fetchAndWrite(known: [:])
        }
        switch outcome {
        case .success(let summary):
            freshness.succeeded(at: clock.timestamp)
            logger.info("synced", metadata: [
                "source": "\(source.description)", "written": "\(summary.rowsWritten)",
                "skipped": "\(summary.skipped.count)", "seconds": "\(summary.elapsed)",
            ])
            return summary
        case .failure(let error):
            record(failure: "\(error)")
            return nil
        }
    }

    private struct FetchFailed: Error, CustomStringConvertible {
        var error: any Error
        var description: String { "\(error)" }
    }

    /// One read of the source and its write (blocking the loop's thread it runs on).
    private func fetchAndWrite(known: [String: FleetRawRow]) async -> Result<SyncSummary, any Error> {
        let batch: FleetBatch
        do {
            batch = try await source.fetch(known: known)
        } catch {
            return .failure(FetchFailed(error: error))
        }
        return Result {
            try store.sync(batch, checker: FleetBatchChecker(manifest: manifest), now: clock.timestamp, shrinkGuard: shrinkGuard)
        }
    }

    private func record(failure reason: String) {
        logger.warning("sync failed; serving the last good data", metadata: ["source": "\(source.description)", "reason": "\(reason)"])
        freshness.failed(reason)
        try? store.recordSyncFailure(source: source.description, reason: reason, now: clock.timestamp)
    }
}
