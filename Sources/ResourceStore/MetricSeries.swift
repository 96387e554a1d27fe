import Fleet

/// A metric's history for one resource, and its downsampling.
package struct MetricPoint: Sendable, Equatable {
    /// The bucket's start (or the sample's time when not downsampled).
    package var at: Timestamp
    /// The mean of the bucket's samples.
    package var value: Double
    package var min: Double
    package var max: Double
    /// Samples in the bucket.
    package var count: Int
}

package enum MetricSeries {
    /// At most `maxPoints` points covering `samples` (sorted by time): the range
    /// `from…to` is cut into equal buckets, each empty bucket dropped, each
    /// other one the mean, min and max of its samples. Fewer samples than
    /// points come back one point each.
    package static func downsample(_ samples: [(at: Int64, value: Double)], from: Int64, to: Int64, maxPoints: Int) -> [MetricPoint] {
        guard samples.count > maxPoints, maxPoints > 0, to > from else {
            return samples.map { MetricPoint(at: Timestamp(secondsSince1970: $0.at), value: $0.value, min: $0.value, max: $0.value, count: 1) }
        }
        let span = to - from + 1
        let width = (span + Int64(maxPoints) - 1) / Int64(maxPoints)
        var points: [MetricPoint] = []
        var bucket = -1 as Int64
        for sample in samples {
            let index = (sample.at - from) / width
            if index != bucket || points.isEmpty {
                bucket = index
                points.append(MetricPoint(
                    at: Timestamp(secondsSince1970: from + index * width), value: sample.value, min: sample.value, max: sample.value, count: 1
                ))
                continue
            }
            let last = points.count - 1
            let count = points[last].count + 1
            points[last].value += (sample.value - points[last].value) / Double(count)
            points[last].min = Swift.min(points[last].min, sample.value)
            points[last].max = Swift.max(points[last].max, sample.value)
            points[last].count = count
        }
        return points
    }
}

extension StoreReader {
    /// The metrics recorded for a resource, with their first and last sample times and sample counts.
    package func metrics(of resourceId: String) throws -> [(metric: String, first: Timestamp, last: Timestamp, count: Int)] {
        try rows("SELECT metric, first, last, count FROM metricSeries WHERE resourceId = ? ORDER BY metric", [.text(resourceId)]) {
            (metric: $0[0], first: $0[1], last: $0[2], count: $0[3])
        }
    }

    /// A metric's samples for a resource in `from…to`, oldest first.
    package func samples(of resourceId: String, metric: String, from: Int64, to: Int64) throws -> [(at: Int64, value: Double)] {
        try rows(
            "SELECT at, value FROM metricSample WHERE resourceId = ? AND metric = ? AND at BETWEEN ? AND ? ORDER BY at",
            [.text(resourceId), .text(metric), .integer(from), .integer(to)]
        ) { (at: $0[0], value: $0[1]) }
    }
}
