import Fleet

/// Where a synced store's metric history comes from: Pulse keeps it, and `get_metrics` asks for one
/// resource's series when called (a fleet's worth of history is never copied).
package protocol MetricHistorySource: Sendable {
    /// The samples of `metric` for the resource Pulse knows as (`resourceType`, `resourceId`) (its
    /// `metricsTarget`) over `range` (`1h`, `6h`, `12h`, `24h`, `7d`, `30d`, `90d`), at most `maxPoints`.
    /// - Throws: an error whose description says why, for people (beyond the license's range, unreachable).
    func history(
        resourceType: String, resourceId: String, metric: String, range: String, maxPoints: Int
    ) async throws -> [(at: Timestamp, value: Double)]
}
