import ArgumentParser

/// `pulse-assistant`: the MCP tool server for a Pulse-monitored infrastructure.
@main
struct PulseAssistantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pulse-assistant",
        abstract: "MCP tool server over Pulse's canonical resources and platform support model.",
        discussion: """
            AI assistants spawn `pulse-assistant serve` over stdio and speak MCP (line-delimited JSON-RPC 2.0) \
            to it. The other subcommands are for operators.
            """,
        version: "0.1.0",
        subcommands: [
            ServeCommand.self, CallCommand.self, IngestCommand.self, SyncCommand.self, DemoCommand.self, MatrixCommand.self, EndpointCommand.self,
            AuditCommand.self, PolicyReportCommand.self, ReplayCommand.self,
        ],
        defaultSubcommand: ServeCommand.self
    )
}
