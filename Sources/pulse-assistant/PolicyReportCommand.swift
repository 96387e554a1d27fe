import ArgumentParser
import Policy

/// `pulse-assistant policy-report`: the control policy as a table, for an audit before anyone runs it.
struct PolicyReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy-report",
        abstract: "Print what the control policy decides for every platform × projected type × action, under each control level.",
        discussion: """
            Each row is the policy's own decision for a resource of that type whose host has a fresh Pulse agent with \
            commands on and an enabled platform connection (the best case), with the route it needs and the reason \
            code. docs/policy-report.md pins the report of the shipped model.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case markdown, json }

    @OptionGroup var manifestOptions: ManifestOptions

    @Option(name: .long, help: "markdown (for people) or json.")
    var format: Format = .markdown

    func run() throws {
        let report = PolicyReport(try manifestOptions.load())
        switch format {
        case .markdown: print(report.markdown(source: manifestOptions.source), terminator: "")
        case .json: print(try report.json(), terminator: "")
        }
    }
}
