import Fleet
import JSON
import Policy

extension PulseMapping {
    /// The row's `resource` record, in the field order of DESIGN §3.
    mutating func canonicalRecord(
        _ row: JSONObject, id: String, type: ResourceType, pulseType: String, platform: PlatformID, aliases: [PulseAlias]
    ) -> JSONObject {
        var notes: [String] = []
        var record = JSONObject()
        record["id"] = .string(id)
        record["type"] = .string(type.rawValue)
        record["platform"] = .string(platform.rawValue)
        record["name"] = .string(row.text("name") ?? row.object("canonicalIdentity")?.text("displayName") ?? id)
        record["status"] = .string(Self.status(row["status"], notes: &notes))
        if type.isWorkload {
            record["powerState"] = .string(Self.powerState(row, notes: &notes))
        }
        record.setIfPresent("technology", row.text("technology").map(JSONValue.string))
        record.setIfPresent("parentId", row.text("parentId").map(JSONValue.string))
        let tags = Self.unique(row.strings("tags"))
        if !tags.isEmpty { record["tags"] = JSONValue(tags) }
        if let metrics = Self.metrics(row, notes: &notes) { record["metrics"] = .object(metrics) }
        if let identity = Self.identity(row) { record["identity"] = .object(identity) }
        let sources = ourSources(row)
        if !sources.isEmpty { record["sources"] = JSONValue(sources) }
        if let lastSeen = Self.time(row["lastSeen"]) {
            record["lastSeen"] = .string(lastSeen.description)
        } else if let raw = row["lastSeen"], !raw.isNull, !Self.isZeroTime(raw) {
            notes.append("lastSeen \(Self.show(raw)) is not an RFC 3339 time; left out")
        }
        record["details"] = .object(["pulse": .object(details(row, pulseType: pulseType, type: type, aliases: aliases, notes: notes))])
        return record
    }

    /// `status` as Pulse gives it; a word outside our four is `unknown`, with a note.
    static func status(_ value: JSONValue?, notes: inout [String]) -> String {
        guard let value, !value.isNull else { return ResourceStatus.unknown.rawValue }
        if let text = value.stringValue, ResourceStatus(rawValue: text) != nil { return text }
        notes.append("status \(Self.show(value)) is not one of \(ResourceStatus.words.joined(separator: ", ")); stored as unknown")
        return ResourceStatus.unknown.rawValue
    }

    /// `platformScopes` as our platform ids, each once; scopes we do not know (`availability`) are left out.
    mutating func ourSources(_ row: JSONObject) -> [String] {
        var scopes = row.strings("platformScopes")
        if scopes.isEmpty {
            // An older Pulse without platformScopes: its `sources` vocabulary, which our aliases cover.
            scopes = row.strings("sources").map { $0 == "vmware" ? "vmware-vsphere" : $0 }
        }
        var ids: [String] = []
        for scope in scopes {
            guard let facts = platform(named: scope), !ids.contains(facts.id.rawValue) else { continue }
            ids.append(facts.id.rawValue)
        }
        return ids
    }

    /// `identity`: the first hostname (or the canonical hostname) and the cluster's name.
    static func identity(_ row: JSONObject) -> JSONObject? {
        let identity = row.object("identity")
        var result = JSONObject()
        let hostname = identity?.strings("hostnames").first ?? row.object("canonicalIdentity")?.text("hostname")
        result.setIfPresent("hostname", hostname.map(JSONValue.string))
        let cluster = identity?.text("clusterName") ?? row.object("proxmox")?.text("clusterName")
            ?? row.object("kubernetes")?.text("clusterName")
        result.setIfPresent("clusterName", cluster.map(JSONValue.string))
        return result.isEmpty ? nil : result
    }

    /// An RFC 3339 time; Go's zero time (`0001-01-01T00:00:00Z`, an unset `time.Time`) reads as none.
    static func time(_ value: JSONValue?) -> Timestamp? {
        guard let text = value?.stringValue, let time = Timestamp(text), time.secondsSince1970 > zeroTimeCutoff else {
            return nil
        }
        return time
    }

    /// Times before 1971 are unset Go times, not observations.
    private static let zeroTimeCutoff: Int64 = 31_536_000

    static func isZeroTime(_ value: JSONValue) -> Bool {
        value.stringValue?.hasPrefix("0001-01-01") == true
    }

    /// Each string once, in first-seen order.
    static func unique(_ strings: [String]) -> [String] {
        var seen = Set<String>()
        return strings.filter { seen.insert($0).inserted }
    }
}

extension PulseMapping {
    /// A value as compact JSON, cut at 60 characters, for notes.
    static func show(_ value: JSONValue) -> String {
        let text = JSONSerializer.string(value)
        return text.count > 60 ? String(text.prefix(60)) + "…" : text
    }
}
