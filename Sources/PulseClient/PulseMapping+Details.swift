import JSON
import Policy

extension PulseMapping {
    /// Pulse's facets (`internal/unifiedresources/types.go` `Resource`): one object per source.
    static let facetKeys: [String] = [
        "proxmox", "storage", "agent", "docker", "pbs", "pmg", "kubernetes", "physicalDisk", "ceph", "truenas",
        "vmware", "availability", "availabilityChecks", "virtualMachine",
    ]

    /// The row's fields that the record or a named `details.pulse` entry already holds as they are.
    static let consumedKeys: Set<String> = Set(facetKeys).union([
        "id", "type", "name", "status", "technology", "parentId", "tags", "lastSeen", "uptime", "capabilities",
        "actionReadiness", "metricsTarget", "platformScopes", "sources",
    ])

    /// `details.pulse`: what Pulse knows beyond our fields, for `get_resource`, the alias lookups and
    /// the control issue.
    ///
    /// ```json
    /// {"type": "docker-host", "aliases": [...], "capabilities": [...], "actionReadiness": [...],
    ///  "metricsTarget": {...}, "platformScopes": [...], "sources": [...],
    ///  "facets": {"proxmox": {...}, "agent": {...}, ...}, "fields": {every other field, as sent},
    ///  "notes": ["status \"degraded\" is not one of …"], "withheld": ["facets.agent.tokenId"]}
    /// ```
    /// `type` appears only when Pulse's differs from ours; `notes` and `withheld` only when not empty.
    mutating func details(
        _ row: JSONObject, pulseType: String, type: ResourceType, aliases: [PulseAlias], notes: [String]
    ) -> JSONObject {
        var withheld: [String] = []
        var pulse = JSONObject()
        if pulseType != type.rawValue { pulse["type"] = .string(pulseType) }
        pulse["aliases"] = JSONValue(aliases.map(\.name))
        for key in ["capabilities", "actionReadiness", "metricsTarget", "platformScopes", "sources"] {
            guard let value = row[key], !value.isNull else { continue }
            pulse[key] = scrubbed(value, path: key, withheld: &withheld)
        }
        var facets = JSONObject()
        for key in Self.facetKeys {
            guard let value = row[key], !value.isNull else { continue }
            facets[key] = scrubbed(value, path: "facets.\(key)", withheld: &withheld)
        }
        pulse["facets"] = .object(facets)
        var fields = JSONObject()
        for (key, value) in row where !Self.consumedKeys.contains(key) {
            if looksSecret(key) {
                withheld.append("fields.\(key)")
            } else {
                fields[key] = scrubbed(value, path: "fields.\(key)", withheld: &withheld)
            }
        }
        pulse["fields"] = .object(fields)
        if !notes.isEmpty { pulse["notes"] = JSONValue(notes) }
        if !withheld.isEmpty { pulse["withheld"] = JSONValue(withheld) }
        return pulse
    }

    /// `value` without any key that looks like a credential, at any depth; each one left out is
    /// listed by its path. A value with none comes back as it was, shared, not copied: the check
    /// walks keys only, and paths are built only for a value that has one.
    mutating func scrubbed(_ value: JSONValue, path: String, withheld: inout [String]) -> JSONValue {
        guard holdsSecretKey(value) else { return value }
        switch value.plain {
        case .object(let object):
            var result = JSONObject()
            for (key, element) in object {
                if looksSecret(key) {
                    withheld.append("\(path).\(key)")
                } else {
                    result[key] = scrubbed(element, path: "\(path).\(key)", withheld: &withheld)
                }
            }
            return .object(result)
        case .array(let elements):
            return .array(elements.enumerated().map { scrubbed($1, path: "\(path)[\($0)]", withheld: &withheld) })
        default:
            return value
        }
    }

    /// Whether any key in `value`, at any depth, looks like a credential.
    private func holdsSecretKey(_ value: JSONValue) -> Bool {
        switch value.plain {
        case .object(let object):
            for (key, element) in object where looksSecret(key) || holdsSecretKey(element) {
                return true
            }
            return false
        case .array(let elements):
            for element in elements where holdsSecretKey(element) {
                return true
            }
            return false
        default:
            return false
        }
    }
}
