import ArgumentParser
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

    @Option(name: .long, help: ArgumentHelp("The longest accepted input line, in bytes; longer ones are answered -32600 and skipped.", valueName: "bytes"))
    var maxLineBytes: Int = Connection.Options.defaultMaximumLineLength

    @Option(name: .long, help: ArgumentHelp("How many requests may run at once before the server stops reading.", valueName: "count"))
    var maxInFlight: Int = 64

    @Option(name: .long, help: "How much to log on stderr.")
    var logLevel: Logger.Level = .warning

    func validate() throws {
        guard maxLineBytes >= 1024 else { throw ValidationError("--max-line-bytes must be at least 1024") }
        guard maxInFlight >= 1 else { throw ValidationError("--max-in-flight must be at least 1") }
    }

    func run() async throws {
        StandardError.bootstrapLogging(level: logLevel)
        let logger = Logger(label: "pulse-assistant")
        let manifest = try manifestOptions.load()
        for violation in GovernanceLint.check(manifest) {
            logger.warning("governance violation in the served model", metadata: ["violation": "\(violation)"])
        }
        let control = try controlOptions.control()
        let stores = try storeOptions.provider(manifest: manifest, now: control.clock.timestamp)
        let server = AssistantServer.make(
            manifest: manifest, manifestSource: manifestOptions.source, stores: stores, control: control,
            audit: auditOptions.settings, logger: logger
        )
        let connection = Connection(
            input: 0,
            writer: OutputWriter(fileDescriptor: 1),
            handler: server,
            options: Connection.Options(maximumLineLength: maxLineBytes, maximumRequestsInFlight: maxInFlight),
            logger: logger
        )
        _ = TerminationSignals { connection.terminate() }
        await connection.run()
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
