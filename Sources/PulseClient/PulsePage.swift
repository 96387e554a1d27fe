import Fleet
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
        try self.init(rows: rows, envelope: envelope, bytes: response.body.count, route: route)
    }

    /// The page whose rows are `rows`, its `meta` read from `envelope`.
    init(rows: [JSONValue], envelope: JSONObject, bytes: Int, route: String) throws(PulseError) {
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
        self.bytes = bytes
        guard rows.count <= max(limit, 1) || limit == 0 else {
            throw .malformedEnvelope(route: route, reason: "the page holds \(rows.count) rows, more than meta.limit \(limit)")
        }
    }
}

/// One page of `/api/resources` with each row recognised by its raw bytes or parsed.
///
/// ```
/// body ─ PulsePageScanner ─▶ row byte ranges ─ raw hash ─▶ kept? ─ yes ▶ .recognised (not parsed)
///                                                                 └ no ─▶ parsed ▶ .read
/// ```
/// A body the scanner does not accept, or a row that does not parse alone, is parsed whole by
/// ``PulsePage/init(_:)``: the same rows, or the same error, as without recognition (its rows then
/// read without a raw hash, so not kept for the next walk).
struct PulseResourcePage: Sendable {
    enum Row: Sendable {
        /// A row whose raw hash a sync kept: not parsed.
        case recognised(FleetRawRow)
        /// A row parsed, with its raw hash (nil when the page had to be parsed whole).
        case read(JSONValue, rawHash: String?)
    }

    var page: PulsePage
    var entries: [Row]

    init(_ response: PulseResponse, known: [String: FleetRawRow], hash: PulseRawRowHash) throws(PulseError) {
        if let scanned = PulsePageScanner.scan(response.body),
           let entries = Self.entries(response.body, scanned.rows, known: known, hash: hash) {
            page = try PulsePage(rows: [], envelope: scanned.others, bytes: response.body.count, route: response.route)
            guard entries.count <= max(page.limit, 1) || page.limit == 0 else {
                throw .malformedEnvelope(route: response.route, reason: "the page holds \(entries.count) rows, more than meta.limit \(page.limit)")
            }
            self.entries = entries
            return
        }
        page = try PulsePage(response)
        entries = page.rows.map { .read($0, rawHash: nil) }
        page.rows = []
    }

    /// Each row recognised or parsed; nil when one does not parse on its own.
    private static func entries(
        _ body: [UInt8], _ ranges: [Range<Int>], known: [String: FleetRawRow], hash: PulseRawRowHash
    ) -> [Row]? {
        body.withUnsafeBufferPointer { buffer -> [Row]? in
            var rows: [Row] = []
            rows.reserveCapacity(ranges.count)
            // One parser scratch for the page's rows, as one parse of the whole page had.
            var scratch = JSONParser.Scratch()
            for range in ranges {
                let slice = UnsafeBufferPointer(rebasing: buffer[range])
                let raw = hash(slice)
                // A kept resource row without the hash of its record stands for nothing the store can confirm.
                if var row = known[raw], row.resourceId == nil || row.recordHash != nil {
                    row.isRecognised = true
                    rows.append(.recognised(row))
                    continue
                }
                guard let value = try? JSONParser.parseNotingForm(Array(slice), scratch: &scratch).value else { return nil }
                rows.append(.read(value, rawHash: raw))
            }
            return rows
        }
    }
}
