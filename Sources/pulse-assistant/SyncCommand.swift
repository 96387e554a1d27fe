import ArgumentParser
import AssistantTools
import Fleet
import Foundation
import Logging
import Policy
import PulseClient
import ResourceStore

/// `pulse-assistant sync`: read a running Pulse server once into a store.
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Read a running Pulse server's resources, alerts and recovery points into a store, once.",
        discussion: """
            Walks GET /api/resources (every page), /api/alerts/active and /api/recovery/points, maps each row to \
            the canonical model (Pulse's ids kept as they are, its aliases resolving to them) and writes only the \
            rows that changed since the last sync, in one transaction. Rows that cannot be mapped (provider-local \
            types, malformed rows) are skipped and reported; the rest is written. An authentication refusal, a \
            page that never answers after retries or a broken page aborts the sync and leaves the store exactly \
            as it was. Exit codes: 0 synced; 1 the store failed or the sync was refused (shrink guard); 3 Pulse \
            refused the token (401/403); 4 Pulse unreachable, timed out or its certificate not trusted; 5 Pulse \
            answered an error or a broken page.
            """
    )

    @OptionGroup var pulseOptions: PulseOptions

    @Option(name: .long, help: ArgumentHelp("The SQLite store to write (created if missing).", valueName: "path"))
    var store: String

    @Option(name: .long, help: ArgumentHelp("The config file (pulseToken, pulseCAFile, pulseOrgId).", valueName: "file"))
    var config: String?

    @Option(name: .long, help: "text (a summary for people) or json (the same as one object).")
    var format: SyncReport.Format = .text

    @Flag(name: .long, help: "Write the fleet even when it has more than a quarter fewer resources than the store.")
    var allowShrink = false

    @Option(name: .long, help: "How much to log on stderr.")
    var logLevel: Logger.Level = .warning

    @OptionGroup var manifestOptions: ManifestOptions

    func validate() throws {
        guard pulseOptions.pulseURL != nil else { throw ValidationError("sync needs --pulse-url") }
    }

    func run() async throws {
        StandardError.bootstrapLogging(level: logLevel)
        let logger = Logger(label: "pulse-assistant")
        let manifest = try manifestOptions.load()
        let file = try config.map { path in
            do { return try ControlConfigFile.load(path) } catch { throw CommandFailure("\(error)") }
        }
        guard let configuration = try pulseOptions.configuration(file: file) else { return }
        let target: ResourceStore
        do {
            target = try ResourceStore.open(path: store, audited: false)
        } catch {
            throw CommandFailure("\(error)")
        }
        let client: PulseHTTPClient
        do {
            client = try PulseHTTPClient(configuration: configuration, logger: logger)
        } catch {
            throw CommandFailure("\(error)")
        }
        let now = { Timestamp(secondsSince1970: Int64(Date().timeIntervalSince1970)) }
        let source = "pulse \(configuration.baseURL)"
        do {
            let walker = PulseWalker(client: client, manifest: manifest, logger: logger)
            let shrinkGuard: FleetShrinkGuard? = allowShrink ? nil : .default
            // Rows whose raw bytes the last sync kept are recognised, not parsed; when the store no
            // longer holds what one stood for, the walk is made again reading every row.
            var walk = try await walker.sync(known: try target.syncedRawRows())
            let summary: SyncSummary
            do {
                summary = try target.sync(walk.batch, checker: FleetBatchChecker(manifest: manifest), now: now(), shrinkGuard: shrinkGuard)
            } catch let stale as FleetRecognitionStale {
                logger.notice("re-reading every row: \(stale)")
                walk = try await walker.sync()
                summary = try target.sync(walk.batch, checker: FleetBatchChecker(manifest: manifest), now: now(), shrinkGuard: shrinkGuard)
            }
            await client.shutdown()
            print(SyncReport(summary: summary, walk: walk.stats, store: store, source: configuration.baseURL).rendered(format))
        } catch let error as PulseError {
            await client.shutdown()
            try? target.recordSyncFailure(source: source, reason: error.description, now: now())
            StandardError.write("The sync from \(configuration.baseURL) failed; the store at \(store) is unchanged: \(error)")
            throw ExitCode(Self.exitCode(error))
        } catch let refusal as FleetShrinkRefusal {
            await client.shutdown()
            try? target.recordSyncFailure(source: source, reason: refusal.description, now: now())
            StandardError.write("The sync from \(configuration.baseURL) was refused; the store at \(store) is unchanged: \(refusal) (--allow-shrink).")
            throw ExitCode(1)
        } catch {
            await client.shutdown()
            StandardError.write("The sync from \(configuration.baseURL) failed; the store at \(store) is unchanged: \(error)")
            throw ExitCode(1)
        }
    }

    /// 3 for a refused token, 4 when Pulse could not be reached (or trusted), 5 for its errors.
    static func exitCode(_ error: PulseError) -> Int32 {
        switch error {
        case .unauthorized, .forbidden: 3
        case .unreachable, .timeout, .tls: 4
        case .invalidConfiguration, .cancelled: 1
        default: 5
        }
    }
}
