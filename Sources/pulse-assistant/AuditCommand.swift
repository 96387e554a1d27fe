import ArgumentParser
import AssistantTools
import AuditLog
import Fleet
import Foundation
import JSON
import ResourceStore

/// `pulse-assistant audit`: read and check the audit chain of a store. For operators; no tool reads it.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Read, verify and export the audit chain: one record per tool call, each holding the SHA-256 of the one before.",
        discussion: """
            Every tools/call the server answers (or, under serve --audit control, every control call) is appended \
            to the store's audit chain before its response is written: time, session, client, tool, arguments with \
            secrets redacted, outcome, control class, route, reason code, action id, duration and the hashes. \
            The chain is a JSON Lines file beside the store (PATH.audit.jsonl), with PATH.audit.head saying where \
            it ended at the last append. \
            Without --store the server keeps it in memory with the demo fleet: serve a store file to keep it.
            """,
        subcommands: [AuditListCommand.self, AuditVerifyCommand.self, AuditExportCommand.self]
    )
}

/// `--store PATH` for the audit commands: an existing store, opened without migrating.
struct AuditStoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The SQLite store whose audit chain to read.", valueName: "path"))
    var store: String

    /// The store's chain, read-only.
    func chain() throws -> AuditFile {
        guard FileManager.default.fileExists(atPath: store) else { throw CommandFailure("no store at \(store)") }
        let path = ResourceStore.auditPath(for: store)
        guard FileManager.default.fileExists(atPath: path) else {
            throw CommandFailure("no audit chain beside \(store) (\(path)): no server has served this store yet")
        }
        do {
            return try AuditFile(path: path, headPath: ResourceStore.auditHeadPath(for: store), readOnly: true)
        } catch {
            throw CommandFailure("\(error)")
        }
    }

    /// Reads the records `filter` picks, in chain order, or fails with a clear message.
    func records(_ filter: AuditFilter) throws -> [AuditRecord] {
        let chain = try chain()
        do {
            return try chain.records(filter)
        } catch {
            throw CommandFailure("cannot read the audit chain of \(store): \(error) (audit verify says more)")
        }
    }
}

struct AuditListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List audit records, oldest first (the newest --limit that match)."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

    @OptionGroup var storeOptions: AuditStoreOptions

    @Option(name: .long, help: ArgumentHelp("Only records at or after this RFC 3339 time.", valueName: "time"))
    var since: String?

    @Option(name: .long, help: ArgumentHelp("Only records before this RFC 3339 time.", valueName: "time"))
    var until: String?

    @Option(name: .long, help: "Only calls of this tool.")
    var tool: String?

    @Option(name: .long, help: "Only this outcome: ok, refused, routed, executed, failed, error, dispatched.")
    var outcome: String?

    @Option(name: .long, help: ArgumentHelp("Only calls about this resource id.", valueName: "id"))
    var resource: String?

    @Option(name: .long, help: "At most this many records.")
    var limit: Int = 50

    @Option(name: .long, help: "table (for people) or json (one array).")
    var format: Format = .table

    static let outcomes = ["ok", "refused", "routed", "executed", "failed", "error", "dispatched"]

    func validate() throws {
        guard limit >= 1 else { throw ValidationError("--limit must be at least 1") }
        if let outcome, !Self.outcomes.contains(outcome) {
            throw ValidationError("--outcome must be one of \(Self.outcomes.joined(separator: ", "))")
        }
        for (name, value) in [("--since", since), ("--until", until)] {
            if let value, Timestamp(value) == nil { throw ValidationError("\(name) must be an RFC 3339 time, got '\(value)'") }
        }
    }

    func run() throws {
        let filter = AuditFilter(
            since: since.flatMap(Timestamp.init).map { $0.secondsSince1970 * 1000 },
            until: until.flatMap(Timestamp.init).map { $0.secondsSince1970 * 1000 },
            tool: tool, outcome: outcome, resourceId: resource, limit: limit
        )
        let records = try storeOptions.records(filter)
        switch format {
        case .json:
            print(JSONSerializer.pretty(.array(records.map(\.json))))
        case .table:
            print(AuditTable.render(records), terminator: "")
        }
    }
}

struct AuditVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the chain: exit 0 when whole, 1 naming the first bad record (edited, dropped, reordered, inserted, cut from the end)."
    )

    @OptionGroup var storeOptions: AuditStoreOptions

    @Option(name: .long, help: ArgumentHelp("A head hash printed by an earlier verify and kept elsewhere: it must still be in the chain, so records cut from its end are found too.", valueName: "hash"))
    var expectHead: String?

    func run() throws {
        let chain = try storeOptions.chain()
        let verdict: AuditVerifier.Verdict
        do {
            verdict = try AuditVerifier.verify(chain)
        } catch {
            throw CommandFailure("cannot read the audit chain of \(storeOptions.store): \(error)")
        }
        if case .intact = verdict, let expectHead, try !contains(chain, hash: expectHead) {
            StandardError.write("audit chain broken: no record has the expected head \(expectHead); records were cut from its end, or it is another chain")
            throw ExitCode(1)
        }
        switch verdict {
        case .intact(let count, let head):
            print("audit chain intact: \(count) record\(count == 1 ? "" : "s"), head \(head)")
        case .broken(let seq, let problem):
            StandardError.write("audit chain broken at record \(seq): \(problem)")
            throw ExitCode(1)
        }
    }

    private func contains(_ chain: AuditFile, hash: String) throws -> Bool {
        var found = false
        try chain.scan { record in found = found || record.hash == hash }
        return found
    }
}

struct AuditExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write every record, in chain order, as JSON Lines on stdout (arguments as JSON objects)."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case jsonl }

    @OptionGroup var storeOptions: AuditStoreOptions

    @Option(name: .long, help: "jsonl: one record per line.")
    var format: Format = .jsonl

    /// Streams: a chain of millions is written as it is read, in chunks.
    func run() throws {
        let chain = try storeOptions.chain()
        var output: [UInt8] = []
        func flush() {
            FileHandle.standardOutput.write(Data(output))
            output.removeAll(keepingCapacity: true)
        }
        do {
            try chain.scan { record in
                JSONSerializer.append(record.json, to: &output)
                output.append(UInt8(ascii: "\n"))
                if output.count >= 1 << 16 { flush() }
            }
            flush()
        } catch {
            flush()
            throw CommandFailure("cannot read the audit chain of \(storeOptions.store): \(error) (the records before it were written; audit verify says more)")
        }
    }
}

/// The audit as a table for people.
enum AuditTable {
    static func render(_ records: [AuditRecord]) -> String {
        let header = ["seq", "time", "tool", "outcome", "resource", "class", "route", "code", "action", "client", "ms"]
        let rows = records.map { record in
            [
                String(record.seq), ServerClock.text(milliseconds: record.at), record.tool, record.outcome,
                record.resourceId ?? "-", record.controlClass ?? "-", record.route ?? "-", record.code ?? "-",
                record.actionId ?? "-", "\(record.clientName) \(record.clientVersion)",
                String(format: "%.2f", Double(record.durationMicroseconds) / 1000),
            ]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) + "\n"
        }
        guard !rows.isEmpty else { return "no audit records match\n" }
        return ([header] + rows).map(line).joined()
    }
}
