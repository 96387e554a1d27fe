import Fleet
import JSON

/// Metric history from Pulse's store, fetched on demand for one resource.
///
/// ```
/// GET /api/metrics-store/history?resourceType=vm&resourceId=pve-lab:pve1:101&metric=cpu&range=24h&maxPoints=120
/// → {"resourceType", "resourceId", "metric", "range", "start", "end",
///    "points": [{"timestamp": 1787409000000, "value": 21.0, "min": 19.5, "max": 23.0}, ...], "source": "store"}
/// ```
/// `resourceType` and `resourceId` come from the resource's `metricsTarget` (kept in
/// `details.pulse.metricsTarget`), not from its canonical id. Timestamps are Unix milliseconds and
/// become whole seconds. Values are Pulse's own units (CPU in percent, not our 0…1 share): the
/// caller converts. A range beyond the license (past 7 days on Community) is a 402, thrown as
/// ``PulseError/paymentRequired(route:message:)`` with Pulse's message.
package struct PulseMetrics: Sendable {
    let client: PulseHTTPClient

    package init(client: PulseHTTPClient) {
        self.client = client
    }

    /// The points of one metric, oldest first.
    /// - Parameters:
    ///   - range: `1h`, `6h`, `12h`, `24h`, `7d`, `30d`, `90d`, or a Go duration.
    ///   - maxPoints: the most points Pulse should return (it downsamples), or nil for its default.
    /// - Throws: ``PulseError``: 402 for a range beyond the license, a broken body, any transport failure.
    package func history(
        resourceType: String, resourceId: String, metric: String, range: String = "24h", maxPoints: Int? = nil
    ) async throws(PulseError) -> [(at: Timestamp, value: Double)] {
        var query: [PulseRequest.QueryItem] = [
            .init("resourceType", resourceType), .init("resourceId", resourceId), .init("metric", metric),
            .init("range", range),
        ]
        if let maxPoints { query.append(.init("maxPoints", String(maxPoints))) }
        let response = try await client.get("/api/metrics-store/history", query: query)
        return try Self.points(try response.json(), metric: metric, route: response.route)
    }

    /// The points of `metric` in a history body: its `points`, or its entry in `metrics` (the
    /// form without `metric=`). Points without a timestamp or a value are left out.
    /// - Throws: ``PulseError/malformedEnvelope(route:reason:)`` when there is neither.
    static func points(_ body: JSONValue, metric: String, route: String) throws(PulseError) -> [(at: Timestamp, value: Double)] {
        guard case .object(let body) = body.plain else {
            throw .malformedEnvelope(route: route, reason: "the body is not a JSON object")
        }
        guard let points = body["points"]?.arrayValue ?? body.object("metrics")?[metric]?.arrayValue else {
            throw .malformedEnvelope(route: route, reason: "it has no \"points\" array")
        }
        var series: [(at: Timestamp, value: Double)] = []
        series.reserveCapacity(points.count)
        for point in points {
            guard let object = point.objectValue, let milliseconds = object.integer("timestamp"),
                  let value = object.number("value"), value.isFinite
            else { continue }
            let seconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
            series.append((Timestamp(secondsSince1970: seconds), value))
        }
        return series.sorted { $0.at < $1.at }
    }
}
