import ArgumentParser
import AssistantTools

/// `--audit all|control`: which tool calls the audit records.
struct AuditOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Record every tool call in the audit chain (all), or only control tools (control).", valueName: "scope"))
    var audit: AuditScope = .all

    var settings: AssistantServer.Audit {
        AssistantServer.Audit(scope: audit)
    }
}

extension AuditScope: ExpressibleByArgument {}
