import ArgumentParser
import Fleet
import Foundation
import Policy
import ResourceStore

/// `pulse-assistant ingest`: validate a snapshot and make it the store's content.
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Validate a snapshot (JSON or JSON Lines) and replace the store's content with it, atomically.",
        discussion: """
            Every record is checked against the snapshot format and the platform support model. Either the whole \
            snapshot replaces the store's content in one transaction, or it is rejected with every error listed (at \
            most 100 shown) and the store is left as it was. JSON Lines must end with the end record `demo` writes \
            ({"end": {"lines": N, "sha256": "…"}}), so that a file cut short is not taken for a smaller fleet; and a \
            snapshot that would remove more than a quarter of the store's resources (and more than 10) is refused. \
            Progress goes to stderr.
            """
    )

    @Argument(help: ArgumentHelp("The snapshot file: a JSON document or JSON Lines.", valueName: "snapshot"))
    var snapshot: String

    @Option(name: .long, help: ArgumentHelp("The SQLite store to write (created if missing).", valueName: "path"))
    var store: String

    @Flag(name: .long, help: "Accept JSON Lines without an end record (a cut file is then not detected).")
    var noEndRecord = false

    @Flag(name: .long, help: "Replace the store even when the snapshot removes more than a quarter of its resources.")
    var allowShrink = false

    @OptionGroup var manifestOptions: ManifestOptions

    func run() throws {
        let manifest = try manifestOptions.load()
        // An ingest answers no tool call: it leaves the audit chain beside the store alone, creating nothing.
        let target = try ResourceStore.open(path: store, audited: false)
        let reporter = ProgressReporter(label: "ingest")
        let now = Timestamp(secondsSince1970: Int64(Date().timeIntervalSince1970))
        do {
            let checks = IngestChecks(requireEndRecord: !noEndRecord, shrinkGuard: allowShrink ? nil : .default)
            let summary = try target.ingest(.file(snapshot), manifest: manifest, now: now, checks: checks) { reporter.report($0) }
            reporter.finish()
            print(summary.description)
        } catch let rejection as SnapshotRejection {
            reporter.finish()
            StandardError.write("\(snapshot) was rejected; the store at \(store) is unchanged.\n\(rejection)")
            throw ExitCode(1)
        } catch let refusal as FleetShrinkRefusal {
            reporter.finish()
            StandardError.write("\(snapshot) was refused; the store at \(store) is unchanged: \(refusal) (--allow-shrink).")
            throw ExitCode(1)
        } catch {
            reporter.finish()
            StandardError.write("\(error)")
            throw ExitCode(1)
        }
    }
}
