import JSON
import Policy

/// Checks snapshot records one at a time and turns each valid one into its ``IngestRow``.
///
/// It judges a record by itself: field types, vocabularies, ranges, platform names against the
/// manifest, (platform, type) against the platform's canonical projections. What needs the whole
/// snapshot — unique resource ids, parents, cycles, references between records — is
/// ``SnapshotGraph``'s job, and unique ids of the other records are the tables' primary keys.
package struct SnapshotValidator {
    var platforms: SnapshotPlatforms

    package init(manifest: PlatformSupportManifest) {
        platforms = SnapshotPlatforms(manifest: manifest)
    }

    /// The fields of each record kind, in the order the design writes them (for "unknown field" messages).
    static let fields: [SnapshotRecordKind: [String]] = [
        .resource: [
            "id", "type", "platform", "name", "status", "powerState", "technology", "parentId", "tags",
            "metrics", "identity", "sources", "lastSeen", "details",
        ],
        .agent: ["id", "hostResourceId", "endpoint", "commandsEnabled", "lastHeartbeat", "version"],
        .connection: ["id", "platform", "rootResourceId", "endpoint", "controlEnabled"],
        .alert: ["id", "resourceId", "severity", "message", "since"],
        .recoveryPoint: ["id", "resourceId", "platform", "kind", "at", "sizeBytes", "verified"],
        .metricSample: ["resourceId", "metric", "at", "value"],
    ]

    static let metricFields = ["cpu", "memoryUsed", "memoryTotal", "diskUsed", "diskTotal", "uptimeSeconds"]

    /// The article and name of a kind, for messages: "a resource", "an agent".
    static func noun(_ kind: SnapshotRecordKind) -> String {
        switch kind {
        case .resource: "a resource"
        case .agent: "an agent"
        case .connection: "a connection"
        case .alert: "an alert"
        case .recoveryPoint: "a recovery point"
        case .metricSample: "a metric sample"
        }
    }

    /// Reports a field of `kind` that the format does not have.
    func unknown(_ key: String, _ value: JSONValue, of kind: SnapshotRecordKind, checker: SnapshotChecker) {
        checker.unknown(key, allowed: Self.fields[kind] ?? [], in: Self.noun(kind))
    }

    // MARK: - Shared field readers

    /// An array of non-empty strings; with `unique`, a repeated element is an error too.
    func strings(_ value: JSONValue, _ field: String, unique: Bool, checker: SnapshotChecker) -> [String] {
        guard case .array(let elements) = value else {
            checker.fail(field, value, "must be an array of strings")
            return []
        }
        var strings: [String] = []
        strings.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            guard let text = checker.text(element, "\(field)[\(index)]") else { continue }
            if unique, strings.contains(text) {
                checker.fail("\(field)[\(index)]", element, "appears twice; each tag is given once")
                continue
            }
            strings.append(text)
        }
        return strings
    }

    /// A free-form object (`details`): any JSON inside, but no secret-looking key at any depth.
    func freeForm(_ value: JSONValue, _ field: String, checker: SnapshotChecker) {
        guard case .object = value else {
            checker.fail(field, value, "must be an object")
            return
        }
        checker.scanForSecrets(value, field)
    }

    /// A platform name resolved to its canonical id; reports unknown names and runtime variants.
    mutating func platform(_ value: JSONValue, _ field: String, checker: SnapshotChecker) -> SnapshotPlatforms.Resolved? {
        guard case .string(let name) = value, !name.isEmpty else {
            checker.fail(field, value, "must be a platform id such as proxmox-pve")
            return nil
        }
        return platforms.resolve(name, field, checker: checker)
    }
}
