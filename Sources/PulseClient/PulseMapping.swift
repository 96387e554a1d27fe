import Fleet
import JSON
import Policy

/// Maps Pulse's rows (`/api/resources`, `/api/alerts/active`, `/api/recovery/points`) to our
/// canonical records, by `PULSE_API.md` §6.2.
///
/// A row becomes a record or a ``FleetSkip`` naming why, never an error: real data is never
/// rejected wholesale. Pulse's ids are kept verbatim and never parsed. Fields this mapping does not
/// know are kept under `details.pulse`, as Pulse sent them, except keys that look like credentials
/// (`tokenId`, `secretName`, …), which our validator refuses anywhere and which are listed by path
/// in `details.pulse.withheld` instead.
///
/// A value type with a cache (which keys look secret), so mapping methods are `mutating`; one
/// mapping serves one sync.
package struct PulseMapping {
    /// What the mapping needs of each platform of the manifest, by canonical id.
    struct PlatformFacts {
        var id: PlatformID
        var governance: GovernanceState
        var projections: Set<ResourceType>
        var projectionList: [ResourceType]
    }

    /// The mapping's version, in every raw row hash (``PulseRawRowHash``): raise it with any change
    /// to what a row maps to, so that the next sync reads every row again instead of recognising it.
    package static let version = 1

    let manifest: PlatformSupportManifest
    private var platformCache: [String: PlatformFacts?] = [:]

    package init(manifest: PlatformSupportManifest) {
        self.manifest = manifest
    }

    /// The platform a name (ours or an alias) resolves to in the manifest, cached.
    mutating func platform(named name: String) -> PlatformFacts? {
        if let known = platformCache[name] { return known }
        let facts = manifest.platform(named: name).map {
            PlatformFacts(
                id: $0.id, governance: $0.governance, projections: Set($0.resourceTypes), projectionList: $0.resourceTypes
            )
        }
        platformCache[name] = .some(facts)
        return facts
    }

    /// Whether a key looks like it holds a credential: ``PulseSecretKey``, the validator's rule
    /// without its allocation, since it runs for every key of every facet of every row.
    func looksSecret(_ key: String) -> Bool {
        PulseSecretKey.matches(key)
    }

    // MARK: - Resources

    /// One `/api/resources` row: our `resource` record, its aliases and agent, or a skip.
    package mutating func resource(_ value: JSONValue) -> PulseMappingOutcome<PulseMappedResource> {
        guard case .object(let row) = value.plain else {
            return .skip(Self.malformed(nil, nil, "the row is \(value.typeName), not an object"))
        }
        return resource(row)
    }

    /// One `/api/resources` row, already known to be an object.
    package mutating func resource(_ row: JSONObject) -> PulseMappingOutcome<PulseMappedResource> {
        guard let id = row.text("id") else {
            return .skip(Self.malformed(nil, row["type"]?.stringValue, "it has no id"))
        }
        guard let pulseType = row["type"]?.stringValue, !pulseType.isEmpty else {
            return .skip(Self.malformed(id, nil, "it has no type"))
        }
        let type: ResourceType
        switch Self.canonicalType(pulseType) {
        case .success(let mapped): type = mapped
        case .failure(let reason): return .skip(FleetSkip(kind: .resource, id: id, type: pulseType, reason: reason.text))
        }
        if let name = row["name"], !name.isNull, name.stringValue == nil, JSONObject.text(name) == nil {
            return .skip(Self.malformed(id, pulseType, "its name is \(name.typeName), not a string"))
        }
        let owner: PlatformFacts
        switch owningPlatform(row, pulseType: pulseType, type: type) {
        case .success(let facts): owner = facts
        case .failure(let reason): return .skip(FleetSkip(kind: .resource, id: id, type: pulseType, reason: reason.text))
        }
        let aliases = Self.aliases(row, id: id)
        let record = canonicalRecord(row, id: id, type: type, pulseType: pulseType, platform: owner.id, aliases: aliases)
        return .record(
            PulseMappedResource(
                id: id, parentId: row.text("parentId"), record: record, aliases: aliases,
                agent: type == .agent ? Self.agent(row, hostId: id) : nil
            )
        )
    }

    /// A skip for a row that cannot be read as a resource.
    static func malformed(_ id: String?, _ type: String?, _ why: String) -> FleetSkip {
        FleetSkip(kind: .resource, id: id, type: type, reason: "malformed row: \(why)")
    }

    /// Why a row is not turned into a record: one sentence for the sync summary.
    struct SkipReason: Error {
        var text: String
    }
}
