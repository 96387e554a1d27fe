import Fleet
import JSON
import ResourceStore

/// `get_metrics`: a metric's history for a resource, downsampled to at most N points.
package struct GetMetricsTool: Tool {
    private let services: ReadServices

    package init(services: ReadServices) {
        self.services = services
    }

    package var descriptor: ToolDescriptor {
        ToolDescriptor(
            name: "get_metrics",
            title: "Get metric history",
            description: """
                Returns one metric's history for a resource (e.g. cpu, memoryUsed, diskUsed) over a time range, \
                downsampled to at most maxPoints points, each the mean, min and max of its bucket. Without since/until it \
                covers the 24 hours up to the latest sample. An unknown metric answers with the metrics recorded.
                """,
            inputSchema: Schema.arguments([
                ("resourceId", Schema.id("The resource.")),
                ("metric", Schema.text("The metric name, e.g. cpu.", maxLength: 64)),
                ("since", Schema.text("Start, RFC 3339 (e.g. 2026-11-28T00:00:00Z).", maxLength: 64)),
                ("until", Schema.text("End, RFC 3339.", maxLength: 64)),
                ("maxPoints", Schema.integer("At most this many points (default 50).", minimum: 1, maximum: 1000)),
                ("includeUnsupported", ReadSchemas.includeUnsupported),
            ], required: ["resourceId", "metric"]),
            outputSchema: Schema.object([
                ("resourceId", Schema.string()),
                ("metric", Schema.string()),
                ("since", Schema.string()),
                ("until", Schema.string()),
                ("sampleCount", ["type": "integer", "minimum": 0, "description": "Samples in the range before downsampling."]),
                ("downsampled", Schema.boolean()),
                ("points", Schema.array(of: Schema.object([
                    ("at", Schema.string()), ("value", ["type": "number"]), ("min", ["type": "number"]),
                    ("max", ["type": "number"]), ("count", ["type": "integer", "minimum": 1]),
                ], required: ["at", "value", "min", "max", "count"]))),
            ], required: ["resourceId", "metric", "since", "until", "sampleCount", "downsampled", "points"]),
            annotations: .read
        )
    }

    package func call(_ object: JSONObject, context: ToolContext) async throws(ToolError) -> JSONValue {
        let arguments = Arguments(object)
        let row = try services.resource(id: arguments.string("resourceId") ?? "", includeUnsupported: arguments.bool("includeUnsupported"))
        let metric = arguments.string("metric") ?? ""
        if let pulse = services.stores.metricHistory {
            return try await pulseHistory(row, metric: metric, arguments, from: pulse)
        }
        let recorded = try services.read { try $0.metrics(of: row.id) }
        guard let series = recorded.first(where: { $0.metric == metric }) else {
            let names = recorded.map(\.metric)
            throw .rejected(names.isEmpty
                ? "\(row.id) has no metric history."
                : "\(row.id) has no metric \"\(metric.prefix(100))\". Recorded metrics: \(names.joined(separator: ", ")).")
        }
        let to = try Self.time(arguments.string("until"), name: "until") ?? series.last
        let from = try Self.time(arguments.string("since"), name: "since") ?? Timestamp(secondsSince1970: to.secondsSince1970 - 86_400)
        guard from <= to else { throw .rejected("`since` (\(from)) is after `until` (\(to)).") }
        let maxPoints = arguments.int("maxPoints", default: 50)
        let samples = try services.read { try $0.samples(of: row.id, metric: metric, from: from.secondsSince1970, to: to.secondsSince1970) }
        return Self.answer(row, metric: metric, from: from, to: to, samples: samples, maxPoints: maxPoints)
    }

    /// The samples of `[from, to]`, downsampled to `maxPoints`, as the tool answers them.
    private static func answer(
        _ row: ResourceRow, metric: String, from: Timestamp, to: Timestamp, samples: [(at: Int64, value: Double)], maxPoints: Int
    ) -> JSONValue {
        let points = MetricSeries.downsample(samples, from: from.secondsSince1970, to: to.secondsSince1970, maxPoints: maxPoints)
        return [
            "resourceId": .string(row.id), "metric": .string(metric), "since": .string(from.description), "until": .string(to.description),
            "sampleCount": .integer(Int64(samples.count)), "downsampled": .bool(points.count < samples.count),
            "points": .array(points.map { point in
                ["at": .string(point.at.description), "value": .double(point.value), "min": .double(point.min),
                 "max": .double(point.max), "count": .integer(Int64(point.count))]
            }),
        ]
    }

    /// A Pulse-backed store keeps no history: it is Pulse's, asked for the resource's `metricsTarget`
    /// (cached for one sync interval) and downsampled here as a stored series would be.
    private func pulseHistory(
        _ row: ResourceRow, metric: String, _ arguments: Arguments, from pulse: MetricHistoryCache
    ) async throws(ToolError) -> JSONValue {
        let record = row.record.flatMap { try? JSONParser.parse($0) }
        guard let target = record?["details"]?["pulse"]?["metricsTarget"],
              let type = target["resourceType"]?.stringValue, let id = target["resourceId"]?.stringValue else {
            throw .rejected("\(row.id) has no metric history: Pulse gives it no metricsTarget (it records no series for it).")
        }
        let now = pulse.now
        let to = try Self.time(arguments.string("until"), name: "until") ?? now
        let from = try Self.time(arguments.string("since"), name: "since") ?? Timestamp(secondsSince1970: to.secondsSince1970 - 86_400)
        guard from <= to else { throw .rejected("`since` (\(from)) is after `until` (\(to)).") }
        let maxPoints = arguments.int("maxPoints", default: 50)
        let range = MetricHistoryCache.range(since: from, now: now)
        let samples: [(at: Timestamp, value: Double)]
        do {
            samples = try await pulse.history(resourceType: type, resourceId: id, metric: metric, range: range, maxPoints: 1000)
        } catch {
            throw .rejected("Pulse did not give the history of \(metric.prefix(64)) for \(row.id): \(error)")
        }
        let kept = samples.filter { $0.at >= from && $0.at <= to }.map { (at: $0.at.secondsSince1970, value: $0.value) }
        return Self.answer(row, metric: metric, from: from, to: to, samples: kept, maxPoints: maxPoints)
    }

    private static func time(_ text: String?, name: String) throws(ToolError) -> Timestamp? {
        guard let text else { return nil }
        guard let time = Timestamp(text) else {
            throw .rejected("`\(name)`: \"\(text.prefix(60))\" is not an RFC 3339 time such as 2026-11-28T09:00:00Z.")
        }
        return time
    }
}
