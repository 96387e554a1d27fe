import ArgumentParser
import Policy

/// `pulse-assistant matrix`: print the support matrix, or lint it.
struct MatrixCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "matrix",
        abstract: "Print the platform support matrix, or check it against the seed's governance rules.",
        discussion: """
            Without --check, prints every platform: the supported rows with all eight surfaces, admitted \
            platforms with their readiness stage and proposed floor, and presentation-only vocabulary. \
            With --check, lints the model and exits 1 listing every violation with the seed rule it breaks.
            """
    )

    @OptionGroup var manifestOptions: ManifestOptions

    @Flag(name: .long, help: "Lint the model against the seed's rules; exit 1 listing every violation.")
    var check = false

    @Option(name: .long, help: "Output format: table, json or markdown.")
    var format: MatrixFormat = .table

    func run() throws {
        let manifest = try manifestOptions.load()
        if check {
            let report = LintReport(checking: manifest)
            guard report.isClean else {
                StandardError.write(report.text)
                throw ExitCode(1)
            }
            print("\(manifestOptions.source): \(manifest.platforms.count) platforms, no governance violations.")
            return
        }
        print(try MatrixRenderer.render(manifest, format: format), terminator: "")
    }
}

extension MatrixFormat: ExpressibleByArgument {}
