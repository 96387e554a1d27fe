import Fleet
import JSON
import Logging
import Policy

/// Reads a whole Pulse fleet: every page of `/api/resources`, then `/api/alerts/active`, then
/// every page of `/api/recovery/points`, and maps it into one ``FleetBatch``.
///
/// ```
/// GET /api/resources?limit=100&page=1&sort=name   … page=meta.totalPages
/// GET /api/alerts/active
/// GET /api/recovery/points?page=1&limit=100        … page=meta.totalPages
/// ```
/// Pulse pages by offset with no cursor, rebuilding its registry per request, so a fleet that
/// changes during the walk can shift rows between pages. The walk notices when `meta.total`
/// changes between pages or an id comes back twice, and starts again from page 1, once. If the
/// second walk changes under it as well, it completes, keeps the union of both walks (each id once,
/// the last copy seen winning) and reports ``PulseWalkStats/churnDetected``.
///
/// Each page is split into rows, mapped and checked on the task that fetched it, while the next
/// three are on their way, so the walk costs about the fetches' time, not fetches plus mapping.
///
/// Any failure aborts the whole walk with a ``PulseError`` (an auth refusal, a page that never
/// answered after the client's retries, a broken envelope): the caller keeps the store it has.
package struct PulseWalker: Sendable {
    package let client: PulseHTTPClient
    let manifest: PlatformSupportManifest
    let clock: PulseClock
    let logger: Logger
    /// Where the pages are checked while the next ones travel (a pool of lower priority, for a sync
    /// in the background); nil for the global executor.
    let executor: (any TaskExecutor)?
    /// Rows per page; Pulse caps it at 100.
    package static let pageSize = 100

    package init(
        client: PulseHTTPClient, manifest: PlatformSupportManifest, clock: PulseClock = .system,
        logger: Logger = Logger(label: "pulse-assistant.pulse"), executor: (any TaskExecutor)? = nil
    ) {
        self.client = client
        self.manifest = manifest
        self.clock = clock
        self.logger = logger
        self.executor = executor
    }

    /// Walks the server once.
    ///
    /// - Parameter known: the rows the last sync kept (``Fleet/FleetRawRow``, by raw hash): a row
    ///   whose bytes come back as they were is neither parsed nor mapped (the batch names it in
    ///   ``Fleet/FleetBatch/recognised``). When the fleet around a recognised row changed so that its
    ///   stored record no longer fits (its parent appeared or vanished), the resources are walked
    ///   again, every row read.
    /// - Throws: ``PulseError``; nothing is returned from a walk that did not finish.
    package func sync(known: [String: FleetRawRow] = [:]) async throws(PulseError) -> PulseSyncResult {
        let start = clock.now()
        var stats = PulseWalkStats()
        let preparer = PulseRowPreparer(manifest: manifest)
        let hash = PulseRawRowHash(manifestFingerprint: preparer.fingerprint)
        var assembler = try await resources(stats: &stats, known: Recognition(rows: known, hash: hash, preparer: preparer))
        let alerts = try await activeAlerts(stats: &stats)
        let points = try await recoveryPoints(stats: &stats)
        // Every row the store keeps recognised, none read: the store keeps the aliases they claim.
        let asKept = !known.isEmpty && !stats.churnDetected && assembler.parsedRows == 0 && assembler.rowCount == known.count
        // A few rows read among recognised ones: only the names they touch are settled (name by
        // name; when most rows were read, one comparison of every alias costs less).
        let scoped = !known.isEmpty && !stats.churnDetected && !asKept && assembler.parsedRows * 4 <= assembler.rowCount
        var (batch, counts) = assembler.finish(
            alerts: alerts, recoveryPoints: points, source: "pulse \(client.base)", aliasesAsKept: asKept,
            kept: scoped ? known : nil
        )
        if counts.recognisedNeedingRecords > 0 {
            logger.notice(
                "\(counts.recognisedNeedingRecords) rows recognised by their bytes need their records again (a parent appeared or vanished); reading every resource row again"
            )
            stats.recognitionRewalks += 1
            assembler = try await resources(stats: &stats, known: Recognition(rows: [:], hash: hash, preparer: preparer))
            (batch, counts) = assembler.finish(alerts: alerts, recoveryPoints: points, source: "pulse \(client.base)")
        }
        stats.recognisedRows = assembler.recognisedRows
        stats.parsedRows = assembler.parsedRows
        batch.resourcesAsKept = asKept && counts.recognisedNeedingRecords == 0 && stats.recognitionRewalks == 0
        // Both walks saw the pages change: a resource that moved onto a page already read may be
        // missing from both, so what the batch lacks is not taken as gone.
        batch.isPartial = stats.churnDetected
        stats.join = counts
        stats.aliasNamesSettled = batch.aliasScope?.names.count
        stats.seconds = clock.now() - start
        logger.info(
            "Pulse walk: \(batch.resources.count) resources, \(batch.skipped.count) skipped, \(batch.alerts.count) alerts, \(stats.resourcePages) pages, \(stats.bytes) bytes"
        )
        return PulseSyncResult(batch: batch, stats: stats)
    }

    /// `/api/alerts/active`: one unpaged array.
    private func activeAlerts(stats: inout PulseWalkStats) async throws(PulseError) -> [JSONValue] {
        let response = try await client.get("/api/alerts/active")
        stats.alertPages += 1
        stats.bytes += response.body.count
        guard let alerts = try response.json().arrayValue else {
            throw .malformedEnvelope(route: response.route, reason: "the body is not a JSON array of alerts")
        }
        return alerts
    }

    /// Every page of `/api/recovery/points`; a point listed twice is kept once by the assembler.
    private func recoveryPoints(stats: inout PulseWalkStats) async throws(PulseError) -> [JSONValue] {
        var points: [JSONValue] = []
        var page = 1
        var totalPages = 1
        while page <= totalPages {
            let response = try await client.get(
                "/api/recovery/points", query: [.init("page", String(page)), .init("limit", String(Self.pageSize))]
            )
            let envelope = try PulsePage(response)
            stats.recoveryPages += 1
            stats.bytes += envelope.bytes
            if page == 1 { totalPages = try bounded(envelope, route: response.route) }
            points.append(contentsOf: envelope.rows)
            page += 1
        }
        return points
    }

    /// `meta.totalPages`, once it is known not to exceed the configured bound.
    func bounded(_ page: PulsePage, route: String) throws(PulseError) -> Int {
        let limit = client.configuration.maximumPages
        guard page.totalPages <= limit else {
            throw .malformedEnvelope(
                route: route, reason: "meta.totalPages is \(page.totalPages), more than the bound of \(limit) pages"
            )
        }
        return page.totalPages
    }
}
