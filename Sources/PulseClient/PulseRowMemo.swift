import Crypto
import Fleet
import JSON

/// What a sync keeps of one `/api/resources` row beside its raw hash (``Fleet/FleetRawRow/memo``),
/// so that the next walk can stand in for the row when its bytes come back, without parsing or
/// mapping it: the resource's parent as the row names it (and whether this fleet lacked it, so the
/// record was stored with `details.pulse.unsyncedParentId`), its aliases with their strength and its
/// agent record; or the skip it was, with its reason.
///
/// ```json
/// {"p": "node-a", "a": [["qemu/101", 1], ["web-01", 2]], "g": {…agent record…}}   a resource
/// {"p": "cluster-x", "u": true, "a": []}                                           its parent was not synced
/// {"i": "docker-image-1", "t": "docker-image", "r": "provider-local type, …"}      a skip
/// ```
/// The record itself is not here: the store keeps it, and a recognised row stands for it.
enum PulseRowMemo {
    /// A resource's memo.
    static func encode(_ resource: PulseMappedResource, parentUnlinked: Bool) -> String {
        var memo = JSONObject()
        memo.setIfPresent("p", resource.parentId.map(JSONValue.string))
        if parentUnlinked { memo["u"] = .bool(true) }
        memo["a"] = .array(resource.aliases.map { .array([.string($0.name), .integer(Int64($0.strength.rawValue))]) })
        memo.setIfPresent("g", resource.agent.map(JSONValue.object))
        return JSONSerializer.string(.object(memo))
    }

    /// A skip's memo.
    static func encode(_ skip: FleetSkip) -> String {
        var memo = JSONObject()
        memo.setIfPresent("i", skip.id.map(JSONValue.string))
        memo.setIfPresent("t", skip.type.map(JSONValue.string))
        memo["r"] = .string(skip.reason)
        return JSONSerializer.string(.object(memo))
    }

    /// The row a kept memo stands for: a resource without its record (``PulseMappedResource/recognised``
    /// says it stands for the stored one), or a skip; nil when the memo cannot be read (the row is then
    /// read again).
    static func decode(_ row: FleetRawRow) -> PulseMappingOutcome<PulseMappedResource>? {
        guard case .object(let memo)? = try? JSONParser.parse(row.memo.utf8) else { return nil }
        guard let id = row.resourceId else {
            guard let reason = memo["r"]?.stringValue else { return nil }
            return .skip(FleetSkip(kind: .resource, id: memo["i"]?.stringValue, type: memo["t"]?.stringValue, reason: reason))
        }
        guard let recordHash = row.recordHash, let listed = memo["a"]?.arrayValue else { return nil }
        var aliases: [PulseAlias] = []
        aliases.reserveCapacity(listed.count)
        for entry in listed {
            guard let pair = entry.arrayValue, pair.count == 2, let name = pair[0].stringValue,
                  let level = pair[1].integerValue, let strength = PulseAlias.Strength(rawValue: Int(level)) else { return nil }
            aliases.append(PulseAlias(name, strength))
        }
        var resource = PulseMappedResource(
            id: id, parentId: memo["p"]?.stringValue, record: JSONObject(), aliases: aliases, agent: memo["g"]?.objectValue
        )
        resource.recognised = PulseMappedResource.Recognition(
            rawRow: row, recordHash: recordHash, parentUnlinked: memo["u"]?.boolValue ?? false
        )
        return .record(resource)
    }
}

/// The raw hash of a resource row (``Fleet/FleetRawRow/hash``): SHA-256 over what the row's mapping
/// depends on and nothing else: the manifest's fingerprint, the mapping's version and the row's
/// bytes as Pulse sent them. A manifest or mapping change re-reads every row.
struct PulseRawRowHash: Sendable {
    private let salt: [UInt8]

    init(manifestFingerprint: String) {
        salt = Array("\(manifestFingerprint)\u{0}pulse-mapping-\(PulseMapping.version)\u{0}".utf8)
    }

    func callAsFunction(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var hasher = SHA256()
        hasher.update(data: salt)
        hasher.update(bufferPointer: UnsafeRawBufferPointer(bytes))
        var text = ""
        text.reserveCapacity(32)
        for byte in hasher.finalize().prefix(16) {
            text.append(Self.hexDigits[Int(byte >> 4)])
            text.append(Self.hexDigits[Int(byte & 0x0F)])
        }
        return text
    }

    private static let hexDigits = Array("0123456789abcdef")
}
