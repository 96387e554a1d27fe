import AssistantTools
import Fleet
import Logging
import Policy
import PulseClient
import ResourceStore

/// The running Pulse server as the sync loop's ``FleetSource`` and get_metrics' ``MetricHistorySource``.
struct PulseFleetSource: FleetSource, MetricHistorySource {
    let walker: PulseWalker

    /// - Parameter threads: where the walk checks its pages (the sync loop's own, by default).
    init(client: PulseHTTPClient, manifest: PlatformSupportManifest, threads: StoreExecutor = .background, logger: Logger) {
        walker = PulseWalker(client: client, manifest: manifest, logger: logger, executor: threads)
    }

    var description: String { "Pulse at \(walker.client.configuration.baseURL)" }

    func fetch() async throws -> FleetBatch {
        try await walker.sync().batch
    }

    func fetch(known: [String: FleetRawRow]) async throws -> FleetBatch {
        try await walker.sync(known: known).batch
    }

    func history(
        resourceType: String, resourceId: String, metric: String, range: String, maxPoints: Int
    ) async throws -> [(at: Timestamp, value: Double)] {
        try await PulseMetrics(client: walker.client).history(
            resourceType: resourceType, resourceId: resourceId, metric: metric, range: range, maxPoints: maxPoints
        )
    }
}
