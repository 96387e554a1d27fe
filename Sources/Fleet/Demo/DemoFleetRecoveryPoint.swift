import JSON

/// One recovery point of the demo fleet (DESIGN §3): a PBS backup, a PVE snapshot or a ZFS snapshot.
struct DemoFleetRecoveryPoint {
    var id: String
    var resourceID: String
    var platform: String
    /// `backup` or `snapshot`.
    var kind: String
    /// Seconds since 1970.
    var at: Int64
    var sizeBytes: Int64
    /// Whether PBS verified the backup; snapshots are never verified.
    var verified: Bool

    var object: JSONObject {
        [
            "id": .string(id), "resourceId": .string(resourceID), "platform": .string(platform),
            "kind": .string(kind), "at": .string(Timestamp(secondsSince1970: at).description),
            "sizeBytes": .integer(sizeBytes), "verified": .bool(verified),
        ]
    }

    /// The same JSON as ``object``, written directly.
    func appendJSON(to output: inout [UInt8], time: DemoFleetTimeFormatter) {
        output.append(UInt8(ascii: "{"))
        DemoFleetJSON.appendKey("id", first: true, to: &output)
        JSONSerializer.appendString(id, to: &output)
        DemoFleetJSON.appendKey("resourceId", to: &output)
        JSONSerializer.appendString(resourceID, to: &output)
        DemoFleetJSON.appendKey("platform", to: &output)
        JSONSerializer.appendString(platform, to: &output)
        DemoFleetJSON.appendKey("kind", to: &output)
        JSONSerializer.appendString(kind, to: &output)
        DemoFleetJSON.appendKey("at", to: &output)
        output.append(UInt8(ascii: "\""))
        time.append(at, to: &output)
        output.append(UInt8(ascii: "\""))
        DemoFleetJSON.appendKey("sizeBytes", to: &output)
        JSONSerializer.appendInteger(sizeBytes, to: &output)
        DemoFleetJSON.appendKey("verified", to: &output)
        output.append(contentsOf: (verified ? "true" : "false").utf8)
        output.append(UInt8(ascii: "}"))
    }
}
