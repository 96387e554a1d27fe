import JSON

/// One page of a paged Pulse route, checked: `{"data": [...], "meta": {page, limit, total, totalPages}}`
/// (`ResourcesResponse`, `recoveryPointsResponse`).
///
/// Anything else from a 2xx answer is a broken envelope and aborts the walk: a walk that cannot
/// tell how many pages there are cannot tell what vanished either. `aggregations` and other
/// fields are ignored.
package struct PulsePage: Sendable {
    package var rows: [JSONValue]
    package var page: Int
    package var limit: Int
    package var total: Int
    package var totalPages: Int
    /// The size of the body the page came in.
    package var bytes: Int

    /// The page in `response`.
    /// - Throws: ``PulseError/malformedEnvelope(route:reason:)`` naming what is missing or wrong.
    package init(_ response: PulseResponse) throws(PulseError) {
        let route = response.route
        guard case .object(let envelope) = try response.json().plain else {
            throw .malformedEnvelope(route: route, reason: "the body is not a JSON object")
        }
        guard let rows = envelope["data"]?.arrayValue else {
            throw .malformedEnvelope(route: route, reason: "it has no \"data\" array")
        }
        guard let meta = envelope.object("meta") else {
            throw .malformedEnvelope(route: route, reason: "it has no \"meta\" object")
        }
        func count(_ key: String) throws(PulseError) -> Int {
            guard let value = meta.integer(key), value >= 0, value <= Int64(Int32.max) else {
                throw .malformedEnvelope(route: route, reason: "meta.\(key) is missing or not a whole number ≥ 0")
            }
            return Int(value)
        }
        self.rows = rows
        page = try count("page")
        limit = try count("limit")
        total = try count("total")
        totalPages = try count("totalPages")
        bytes = response.body.count
        guard rows.count <= max(limit, 1) || limit == 0 else {
            throw .malformedEnvelope(route: route, reason: "the page holds \(rows.count) rows, more than meta.limit \(limit)")
        }
    }
}
