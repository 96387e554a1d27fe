/// The governance lint's result as text for `matrix --check`: one violation per line, then a summary.
///
/// Kept apart from ``GovernanceLint`` so the lint stays a list of values (for tests and JSON output) and
/// the wording of the report can change without touching the rules.
package struct LintReport: Sendable, Hashable, CustomStringConvertible {
    package var violations: [GovernanceViolation]

    package init(violations: [GovernanceViolation]) {
        self.violations = violations
    }

    /// Lints `manifest` and keeps the result.
    package init(checking manifest: PlatformSupportManifest) {
        self.init(violations: GovernanceLint.check(manifest))
    }

    /// Whether the manifest follows every rule; the CLI's exit status.
    package var isClean: Bool { violations.isEmpty }

    /// The last line of the report.
    package var summary: String {
        switch violations.count {
        case 0: "platform-support manifest: no governance violations"
        case 1: "platform-support manifest: 1 governance violation"
        case let count: "platform-support manifest: \(count) governance violations"
        }
    }

    /// Every violation on its own line, in lint order, then the summary; ends with a newline.
    package var text: String {
        (violations.map(\.description) + [summary]).joined(separator: "\n") + "\n"
    }

    package var description: String { text }
}
