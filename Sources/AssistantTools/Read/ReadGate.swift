import JSON
import Policy
import ResourceStore

/// Assistant-read gating: which platforms' resources the read tools show.
///
/// Only platforms in the current support matrix whose `assistantRead`
/// surface is supported are read by default. Resources of admitted
/// (`vmware-vsphere`) and presentation-only platforms are left out unless the
/// caller passes `includeUnsupported: true`; then each is labelled with its
/// platform's governance state and readiness stage, so nothing unsupported
/// ever reads as supported.
package struct ReadGate: Sendable {
    package let manifest: PlatformSupportManifest
    /// Platform ids whose resources are hidden by default.
    package let hiddenPlatforms: [String]
    private let labels: [String: JSONValue]
    /// Every id and alias, lowercased, to its platform: looked up on every call, so built once.
    private let byName: [String: Platform]

    package init(manifest: PlatformSupportManifest) {
        self.manifest = manifest
        let readable = Set(manifest.platforms.filter { $0.isSupported && $0.supportFloor?.assistantRead == .supported }.map(\.id.rawValue))
        let hidden = manifest.platforms.map(\.id.rawValue).filter { !readable.contains($0) }
        self.hiddenPlatforms = hidden
        var labels: [String: JSONValue] = [:]
        for platform in manifest.platforms where hidden.contains(platform.id.rawValue) {
            labels[platform.id.rawValue] = [
                "supported": false,
                "governanceState": .string(platform.governance.rawValue),
                "readinessStage": JSONValue(platform.readinessStage?.rawValue),
            ]
        }
        self.labels = labels
        var byName: [String: Platform] = [:]
        for platform in manifest.platforms {
            for name in platform.names where byName[name.lowercased()] == nil {
                byName[name.lowercased()] = platform
            }
        }
        self.byName = byName
    }

    /// The platform with this id or alias, any case.
    package func platform(_ name: String) -> Platform? {
        byName[name] ?? byName[name.lowercased()]
    }

    /// The platforms to hide for a call, given its `includeUnsupported` argument.
    package func hidden(includeUnsupported: Bool) -> [String] {
        includeUnsupported ? [] : hiddenPlatforms
    }

    /// The `platformSupport` label of a resource on an unsupported platform; nil for supported ones.
    package func label(forPlatform platform: String) -> JSONValue? {
        labels[platform]
    }

    package func isHidden(_ platform: String) -> Bool {
        labels[platform] != nil
    }

    /// What a text naming a resource of `platform` adds after the platform: nothing for a readable one,
    /// `, not supported (admitted)` for a hidden one, the words a listing's label says.
    package func standing(ofPlatform platform: String) -> String {
        guard let label = labels[platform] else { return "" }
        return ", not supported (\(label["governanceState"]?.stringValue ?? "unknown"))"
    }

    /// Why a resource is not shown by default, in words the model can relay.
    package func refusal(for row: ResourceRow) -> String {
        let platform = platform(row.platform)
        let standing: String
        switch platform?.governance {
        case .admitted?:
            standing = "admitted but not supported (readiness stage \(platform?.readinessStage?.rawValue ?? "none"), which is not a support claim)"
        case .presentationOnly?:
            standing = "presentation-only vocabulary, not a supported platform"
        default:
            standing = "not supported for assistant read"
        }
        return "\(row.id) belongs to \(row.platform), which is \(standing). Its resources are left out by default; "
            + "call again with includeUnsupported: true to read it, labelled as unsupported."
    }

    /// Canonical ids for platform names (ids or aliases); unknown names are returned apart.
    package func resolve(platforms names: [String]) -> (ids: [String], unknown: [String]) {
        var ids: [String] = []
        var unknown: [String] = []
        for name in names {
            if let platform = platform(name) {
                if !ids.contains(platform.id.rawValue) { ids.append(platform.id.rawValue) }
            } else {
                unknown.append(name)
            }
        }
        return (ids, unknown)
    }

    /// The `isError` text for unknown platform names.
    package func unknownPlatforms(_ names: [String]) -> String {
        let quoted = names.map { "\"\($0.prefix(60))\"" }.joined(separator: ", ")
        return "Unknown platform \(quoted). Known platform ids: \(manifest.ids.map(\.rawValue).joined(separator: ", "))."
    }
}
