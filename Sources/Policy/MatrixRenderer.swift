/// Renders the platform-support manifest for people: the two tables of the seed ("Current Support
/// Matrix") plus the admitted and presentation-only rows, each labelled for what it is.
///
/// Pure functions of the manifest, so the CLI only prints, and tests compare strings. The wording is
/// deliberately honest: vSphere's floor is printed as `proposed`, presentation-only rows say `none`, so no
/// rendering can be read as a support claim the seed does not make.
package enum MatrixRenderer {
    /// Renders `manifest` in `format`.
    /// - Throws: only for `.json`, if encoding fails.
    package static func render(_ manifest: PlatformSupportManifest, format: MatrixFormat) throws -> String {
        switch format {
        case .table: table(manifest)
        case .markdown: markdown(manifest)
        case .json: try json(manifest)
        }
    }

    /// The manifest as pretty-printed JSON with sorted keys and a trailing newline.
    package static func json(_ manifest: PlatformSupportManifest) throws -> String {
        String(decoding: try manifest.encodedJSON(), as: UTF8.self) + "\n"
    }

    /// Both tables as aligned plain text, columns separated by two spaces.
    package static func table(_ manifest: PlatformSupportManifest) -> String {
        let sections = [
            title(manifest),
            aligned(platformRows(manifest, code: { $0 })),
            aligned(floorRows(manifest, code: { $0 })),
            notes(manifest),
        ]
        return sections.joined(separator: "\n\n") + "\n"
    }

    /// Both tables as Markdown, ids in code spans.
    package static func markdown(_ manifest: PlatformSupportManifest) -> String {
        let code: (String) -> String = { "`\($0)`" }
        let sections = [
            "# " + title(manifest),
            "## Platforms\n\n" + markdownTable(platformRows(manifest, code: code)),
            "## Support floor\n\n" + markdownTable(floorRows(manifest, code: code)),
            notes(manifest),
        ]
        return sections.joined(separator: "\n\n") + "\n"
    }

    // MARK: - Rows

    static let none = "-"

    static func title(_ manifest: PlatformSupportManifest) -> String {
        let version = manifest.manifestVersion.map { "manifest v\($0)" } ?? "manifest"
        let updated = manifest.sourceLastUpdated.map { ", seed last updated \($0)" } ?? ""
        return "Platform support matrix (\(version)\(updated))"
    }

    /// Identity, governance and projections: the seed's first table, widened to every platform.
    static func platformRows(_ manifest: PlatformSupportManifest, code: (String) -> String) -> [[String]] {
        let header = ["Platform", "Family", "Governance", "Readiness", "Primary mode", "Optional augmentation",
                      "Canonical projections"]
        return [header] + manifest.platforms.map { platform in
            [
                code(platform.id.rawValue),
                platform.family ?? none,
                platform.governance.rawValue,
                platform.readinessStage?.rawValue ?? none,
                platform.primaryMode?.rawValue ?? none,
                platform.augmentation?.wording ?? (platform.governance == .presentationOnly ? none : "none"),
                platform.projections.isEmpty ? none : platform.projections.map(code).joined(separator: ", "),
            ]
        }
    }

    /// The eight surfaces: the seed's second table, with a column saying whose floor it is.
    static func floorRows(_ manifest: PlatformSupportManifest, code: (String) -> String) -> [[String]] {
        let header = ["Platform", "Floor"] + Surface.allCases.map(\.title)
        return [header] + manifest.platforms.map { platform in
            let (label, floor): (String, SupportFloor?) =
                if let floor = platform.supportFloor { ("support", floor) }
                else if let floor = platform.proposedFloor { ("proposed (not support)", floor) }
                else if platform.governance == .presentationOnly { ("none (presentation-only)", nil) }
                else { ("none", nil) }
            let cells = Surface.allCases.map { surface -> String in
                guard let floor else { return none }
                let value = floor[surface]?.rawValue ?? "(blank)"
                // The seed's Setup column shows the onboarding path; a value other than supported stays visible.
                if surface == .setup, let path = platform.onboardingPath {
                    return floor.setup == .supported ? path : "\(path) [\(value)]"
                }
                return value
            }
            return [code(platform.id.rawValue), label] + cells
        }
    }

    static func notes(_ manifest: PlatformSupportManifest) -> String {
        var lines: [String] = []
        for platform in manifest.platforms(in: .admitted) {
            let stage = platform.readinessStage?.rawValue ?? "no readiness stage"
            lines.append("- \(platform.id): admitted (\(stage)), not in the support matrix; "
                + "its floor is proposed, not a support claim.")
        }
        let vocabulary = manifest.platforms(in: .presentationOnly).map(\.id.rawValue)
        if !vocabulary.isEmpty {
            lines.append("- presentation-only vocabulary, not supported: \(vocabulary.joined(separator: ", ")).")
        }
        return lines.isEmpty ? "" : "Notes:\n" + lines.joined(separator: "\n")
    }

    // MARK: - Layout

    /// Pads every column to its widest cell and rules off the header.
    static func aligned(_ rows: [[String]]) -> String {
        let widths = (0..<(rows.first?.count ?? 0)).map { column in
            rows.map { $0[column].count }.max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { $0.padding(to: $1) }.joined(separator: "  ").trimmingTrailingSpaces
        }
        let rule = widths.map { String(repeating: "-", count: $0) }
        return ([line(rows.first ?? []), line(rule)] + rows.dropFirst().map(line)).joined(separator: "\n")
    }

    static func markdownTable(_ rows: [[String]]) -> String {
        func line(_ cells: [String]) -> String {
            "| " + cells.map { $0.replacingPipes }.joined(separator: " | ") + " |"
        }
        let rule = "|" + String(repeating: " --- |", count: rows.first?.count ?? 0)
        return ([line(rows.first ?? []), rule] + rows.dropFirst().map(line)).joined(separator: "\n")
    }
}
