import Fleet
import JSON

extension PulseWalker {
    /// Every resource row, walked once, or twice when the pages changed under the first walk.
    func resources(stats: inout PulseWalkStats, known: Recognition) async throws(PulseError) -> PulseFleetAssembler {
        let first = try await pass(isFinal: false, stats: &stats, known: known)
        guard let reason = first.churn else { return first.assembler }
        stats.rewalks += 1
        logger.notice("Pulse's resource pages changed during the walk (\(reason)); walking again from page 1")
        var second = try await pass(isFinal: true, stats: &stats, known: known)
        guard let again = second.churn else { return second.assembler }
        stats.churnDetected = true
        logger.warning("Pulse's resource pages changed during the second walk too (\(again)); keeping the union of both walks")
        second.assembler.absorb(first.assembler)
        return second.assembler
    }

    /// One walk of pages 1…`meta.totalPages`, and the first sign of churn it saw.
    private struct Pass {
        var assembler: PulseFleetAssembler
        var churn: String?
    }

    /// Walks the pages; a first pass stops at the first sign of churn, a final one reads on to
    /// the last page (following `meta.totalPages` as it grows).
    private func pass(isFinal: Bool, stats: inout PulseWalkStats, known: Recognition) async throws(PulseError) -> Pass {
        var assembler = PulseFleetAssembler(preparer: known.preparer)
        var seen = Set<String>()
        var withoutId = 0
        var firstTotal: Int?
        var lastTotal = 0
        var totalPages = 1
        var churn: String?
        var page = 1
        // Pages requested and not yet mapped, in page order; the last one requested is `requested`.
        var inFlight: [Task<Result<PreparedPage, PulseError>, Never>] = [fetch(page: 1, known: known)]
        var requested = 1
        defer { for task in inFlight { task.cancel() } }
        while !inFlight.isEmpty {
            let prepared = try await inFlight.removeFirst().value.get()
            let envelope = prepared.page
            stats.resourcePages += 1
            stats.bytes += envelope.bytes
            stats.resourceRows += prepared.rows.count
            let route = Self.resourcesRoute(page: page)
            lastTotal = envelope.total
            if let firstTotal {
                if envelope.total != firstTotal, churn == nil {
                    churn = "meta.total went from \(firstTotal) to \(envelope.total) at page \(page)"
                }
                if isFinal { totalPages = max(totalPages, try bounded(envelope, route: route)) }
            } else {
                firstTotal = envelope.total
                totalPages = try bounded(envelope, route: route)
            }
            while requested < min(totalPages, page + Self.pagesInFlight), churn == nil || isFinal {
                requested += 1
                inFlight.append(fetch(page: requested, known: known))
            }
            for row in prepared.rows {
                guard let id = assembler.add(row) else {
                    withoutId += 1
                    continue
                }
                if !seen.insert(id).inserted, churn == nil {
                    churn = "the id \(id) came back on page \(page)"
                }
            }
            if churn != nil, !isFinal {
                for task in inFlight { task.cancel() }
                inFlight = []
            }
            page += 1
        }
        // A row deleted from a page already read while another is added after it leaves the total
        // as it was, but one row shifts past the walk unseen: the count of ids tells.
        if churn == nil, seen.count + withoutId != lastTotal {
            churn = "the walk saw \(seen.count + withoutId) distinct rows where meta.total is \(lastTotal)"
        }
        return Pass(assembler: assembler, churn: churn)
    }

    /// How many pages travel while one is mapped: enough that the server always has the next
    /// request in hand (it builds page n+1 while the client parses n), few enough to stay
    /// within AsyncHTTPClient's per-host connections and a few pages of memory.
    static let pagesInFlight = 3

    /// The rows a sync kept, for a walk to recognise by their raw bytes, how it hashes a row, and
    /// what maps and checks the rows it reads.
    struct Recognition: Sendable {
        var rows: [String: FleetRawRow]
        var hash: PulseRawRowHash
        var preparer: PulseRowPreparer
    }

    /// One page's envelope and its rows, ready for the assembler.
    private struct PreparedPage: Sendable {
        var page: PulsePage
        var rows: [PulsePreparedRow]
    }

    /// Starts fetching one page and preparing its rows (recognised, or parsed, mapped and checked)
    /// on the task's thread, so that it travels and is mapped while the previous one is assembled.
    private func fetch(page: Int, known: Recognition) -> Task<Result<PreparedPage, PulseError>, Never> {
        let client = client
        return Task(executorPreference: executor) {
            do throws(PulseError) {
                let response = try await client.get("/api/resources", query: Self.resourcesQuery(page: page))
                let scanned = try PulseResourcePage(response, known: known.rows, hash: known.hash)
                var preparer = known.preparer
                return .success(PreparedPage(page: scanned.page, rows: preparer.prepare(scanned)))
            } catch {
                return .failure(error)
            }
        }
    }

    static func resourcesQuery(page: Int) -> [PulseRequest.QueryItem] {
        [.init("limit", String(pageSize)), .init("page", String(page)), .init("sort", "name")]
    }

    static func resourcesRoute(page: Int) -> String {
        PulseRequest.get("/api/resources", resourcesQuery(page: page)).route
    }
}
