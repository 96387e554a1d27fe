import ArgumentParser
import Foundation
import AssistantTools
import JSONRPC
import Logging
import Policy

/// `pulse-assistant serve`: the MCP server on stdin/stdout.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve MCP over stdio (the default): what an assistant host spawns.",
        discussion: """
            Reads line-delimited JSON-RPC 2.0 on stdin and writes protocol messages, and nothing else, on \
            stdout; logs go to stderr. At end of stdin or on SIGTERM it stops reading, answers every request \
            already read, and exits 0.
            """
    )

    @OptionGroup var manifestOptions: ManifestOptions

    @OptionGroup var storeOptions: StoreOptions

    @OptionGroup var controlOptions: ControlOptions

    @OptionGroup var auditOptions: AuditOptions

    @OptionGroup var pulseOptions: PulseOptions

    @Option(name: .long, help: ArgumentHelp("With --pulse-url: seconds between syncs (default 30).", valueName: "seconds"))
    var syncInterval: Int = 30

    @Option(name: .long, help: ArgumentHelp("With --pulse-url: how long Pulse's execute of a control action may block before the action is polled (default 180, a guest shutdown).", valueName: "seconds"))
    var pulseExecuteDeadline: Int = 180

    @Option(name: .long, help: ArgumentHelp("The longest accepted input line, in bytes; longer ones are answered -32600 and skipped.", valueName: "bytes"))
    var maxLineBytes: Int = Connection.Options.defaultMaximumLineLength

    @Option(name: .long, help: ArgumentHelp("How many requests may run at once before the server stops reading.", valueName: "count"))
    var maxInFlight: Int = 64

    @Option(name: .long, help: "How much to log on stderr.")
    var logLevel: Logger.Level = .warning

    @Option(name: .long, help: ArgumentHelp("Record the session as a transcript (secrets redacted) that `pulse-assistant replay` plays back: on the embedded demo fleet, with the clock fixed (at --clock, else at the start) and action ids in sequence.", valueName: "file"))
    var record: String?

    func validate() throws {
        guard maxLineBytes >= 1024 else { throw ValidationError("--max-line-bytes must be at least 1024") }
        guard maxInFlight >= 1 else { throw ValidationError("--max-in-flight must be at least 1") }
        guard syncInterval >= 1 else { throw ValidationError("--sync-interval must be at least 1 second") }
        guard pulseExecuteDeadline >= 1 else { throw ValidationError("--pulse-execute-deadline must be at least 1 second") }
        if record != nil, pulseOptions.pulseURL != nil {
            throw ValidationError("--record records sessions on the embedded demo fleet, which a replay can rebuild; drop --pulse-url")
        }
        if record != nil, storeOptions.store != nil {
            throw ValidationError("--record records sessions on the embedded demo fleet, which a replay can rebuild; drop --store (for a snapshot fixture, write the transcript header by hand and run replay --update)")
        }
    }

    func run() async throws {
        StandardError.bootstrapLogging(level: logLevel)
        let logger = Logger(label: "pulse-assistant")
        let manifest = try manifestOptions.load()
        for violation in GovernanceLint.check(manifest) {
            logger.warning("governance violation in the served model", metadata: ["violation": "\(violation)"])
        }
        // A recorded session runs on a fixed clock and numbered ids, so that its replay is exact.
        let recordingClock = record.map { _ in ServerClock.fixed(controlOptions.serverClock.timestamp) }
        let configFile = try controlOptions.configFile()
        var control = try controlOptions.control(file: configFile, clock: recordingClock, sequential: record != nil)
        let pulse = try pulseOptions.configuration(file: configFile).map { configuration in
            try PulseBackedStore(
                configuration: configuration, path: storeOptions.store, interval: .seconds(syncInterval),
                manifest: manifest, clock: control.clock, executeDeadline: .seconds(pulseExecuteDeadline), logger: logger
            )
        }
        // Actions on synced resources go through the same Pulse server's action lifecycle.
        control.pulse = pulse?.connection
        control.settings.pulse.executeDeadlineSeconds = Double(pulseExecuteDeadline)
        let stores = try pulse?.stores ?? storeOptions.provider(manifest: manifest, now: control.clock.timestamp)
        let syncing = pulse?.start()
        let server = AssistantServer.make(
            manifest: manifest, manifestSource: manifestOptions.source, stores: stores, control: control,
            audit: auditOptions.settings, logger: logger
        )
        let writer = OutputWriter(fileDescriptor: 1)
        let connection = Connection(
            input: 0,
            writer: writer,
            handler: server,
            options: Connection.Options(
                maximumLineLength: maxLineBytes, maximumRequestsInFlight: maxInFlight,
                outgoingRequestIDPrefix: AssistantServer.outgoingRequestIDPrefix
            ),
            logger: logger
        )
        let recorder = try record.map { path in
            try TranscriptRecorder(path: path, header: transcriptHeader(control, config: configFile), secrets: control.secrets)
        }
        if let recorder {
            connection.observeInput { recorder.recordInput($0) }
            writer.observeLines { recorder.recordOutput($0) }
        }
        _ = TerminationSignals { connection.terminate() }
        await connection.run()
        // Control calls run as tasks outlive their requests: their actions end before the process does.
        await server.modern.tasks.drain()
        syncing?.cancel()
        await pulse?.shutdown()
        recorder?.finish()
    }

    /// The header of a recorded session: the embedded demo fleet as of the fixed clock, the level, and
    /// healthy reference endpoints everywhere when control is open.
    private func transcriptHeader(_ control: AssistantServer.Control, config: ControlConfigFile?) -> TranscriptHeader {
        var header = TranscriptHeader(
            fixture: .demo(seed: EmbeddedDemo.seed, scale: EmbeddedDemo.scale), clock: control.clock.timestamp,
            controlLevel: control.settings.level
        )
        header.demoEndpoints = storeOptions.demoEndpoints
        header.audit = auditOptions.audit
        header.maxLineBytes = maxLineBytes == Connection.Options.defaultMaximumLineLength ? nil : maxLineBytes
        header.endpoints = control.settings.level == .readOnly ? [] : [.init(ids: ["*"])]
        header.config = config?.recordable
        return header
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
