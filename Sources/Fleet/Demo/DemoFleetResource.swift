import JSON
import Policy

/// One canonical resource of the demo fleet before it becomes JSON.
///
/// Holding the fields typed keeps the generators honest (a status is one of four words, a
/// power state only exists on workloads) and fixes the wire key order, so that ``object``
/// always writes DESIGN §3's fields in the same order:
///
/// ```
/// id type platform name status [powerState] technology [parentId] tags metrics identity sources lastSeen details
/// ```
struct DemoFleetResource {
    enum Status: String { case online, offline, warning, unknown }
    enum Power: String { case running, stopped, paused, unknown }

    /// The usage figures of DESIGN §3; absent ones are left out of the `metrics` object.
    struct Metrics {
        var cpu: Double?
        var memoryUsed: Int64?
        var memoryTotal: Int64?
        var diskUsed: Int64?
        var diskTotal: Int64?
        var uptimeSeconds: Int64?

        var object: JSONObject {
            var object = JSONObject()
            if let cpu { object["cpu"] = .double(cpu) }
            if let memoryUsed { object["memoryUsed"] = .integer(memoryUsed) }
            if let memoryTotal { object["memoryTotal"] = .integer(memoryTotal) }
            if let diskUsed { object["diskUsed"] = .integer(diskUsed) }
            if let diskTotal { object["diskTotal"] = .integer(diskTotal) }
            if let uptimeSeconds { object["uptimeSeconds"] = .integer(uptimeSeconds) }
            return object
        }

        /// The same JSON as ``object``, written directly.
        func appendJSON(to output: inout [UInt8]) {
            output.append(UInt8(ascii: "{"))
            var first = true
            func key(_ name: StaticString) {
                DemoFleetJSON.appendKey(name, first: first, to: &output)
                first = false
            }
            if let cpu {
                key("cpu")
                DemoFleetJSON.appendDouble(cpu, to: &output)
            }
            func integer(_ name: StaticString, _ value: Int64?) {
                guard let value else { return }
                key(name)
                JSONSerializer.appendInteger(value, to: &output)
            }
            integer("memoryUsed", memoryUsed)
            integer("memoryTotal", memoryTotal)
            integer("diskUsed", diskUsed)
            integer("diskTotal", diskTotal)
            integer("uptimeSeconds", uptimeSeconds)
            output.append(UInt8(ascii: "}"))
        }
    }

    var id: String
    var type: ResourceType
    var platform: String
    var name: String
    var status: Status
    /// Only on `vm`, `system-container`, `app-container` and `pod` (DESIGN §3).
    var power: Power?
    var technology: String
    var parentID: String?
    var tags: [String] = []
    var metrics = Metrics()
    var identity = JSONObject()
    /// Which ingestion paths reported the resource: the owning platform, plus `agent` where a Pulse
    /// agent augments it (a hybrid PVE node).
    var sources: [String]
    var lastSeen: Timestamp
    var details = JSONObject()

    init(
        id: String, type: ResourceType, platform: String, name: String, status: Status, power: Power? = nil,
        technology: String, parentID: String?, lastSeen: Timestamp
    ) {
        self.id = id
        self.type = type
        self.platform = platform
        self.name = name
        self.status = status
        self.power = power
        self.technology = technology
        self.parentID = parentID
        self.sources = [platform]
        self.lastSeen = lastSeen
    }

    /// The record as DESIGN §3 spells it.
    var object: JSONObject {
        var pairs: [(String, JSONValue)] = [
            ("id", .string(id)), ("type", .string(type.rawValue)), ("platform", .string(platform)),
            ("name", .string(name)), ("status", .string(status.rawValue)),
        ]
        pairs.reserveCapacity(14)
        if let power { pairs.append(("powerState", .string(power.rawValue))) }
        pairs.append(("technology", .string(technology)))
        if let parentID { pairs.append(("parentId", .string(parentID))) }
        pairs.append(("tags", .array(tags.map(JSONValue.string))))
        pairs.append(("metrics", .object(metrics.object)))
        pairs.append(("identity", .object(identity)))
        pairs.append(("sources", .array(sources.map(JSONValue.string))))
        pairs.append(("lastSeen", .string(lastSeen.description)))
        pairs.append(("details", .object(details)))
        return JSONObject(pairs)
    }

    /// The same JSON as ``object``, written directly: the file writers' path.
    func appendJSON(to output: inout [UInt8], time: DemoFleetTimeFormatter) {
        output.append(UInt8(ascii: "{"))
        DemoFleetJSON.appendKey("id", first: true, to: &output)
        JSONSerializer.appendString(id, to: &output)
        DemoFleetJSON.appendKey("type", to: &output)
        JSONSerializer.appendString(type.rawValue, to: &output)
        DemoFleetJSON.appendKey("platform", to: &output)
        JSONSerializer.appendString(platform, to: &output)
        DemoFleetJSON.appendKey("name", to: &output)
        JSONSerializer.appendString(name, to: &output)
        DemoFleetJSON.appendKey("status", to: &output)
        JSONSerializer.appendString(status.rawValue, to: &output)
        if let power {
            DemoFleetJSON.appendKey("powerState", to: &output)
            JSONSerializer.appendString(power.rawValue, to: &output)
        }
        DemoFleetJSON.appendKey("technology", to: &output)
        JSONSerializer.appendString(technology, to: &output)
        if let parentID {
            DemoFleetJSON.appendKey("parentId", to: &output)
            JSONSerializer.appendString(parentID, to: &output)
        }
        DemoFleetJSON.appendKey("tags", to: &output)
        DemoFleetJSON.appendStrings(tags, to: &output)
        DemoFleetJSON.appendKey("metrics", to: &output)
        metrics.appendJSON(to: &output)
        DemoFleetJSON.appendKey("identity", to: &output)
        JSONSerializer.append(.object(identity), to: &output)
        DemoFleetJSON.appendKey("sources", to: &output)
        DemoFleetJSON.appendStrings(sources, to: &output)
        DemoFleetJSON.appendKey("lastSeen", to: &output)
        output.append(UInt8(ascii: "\""))
        time.append(lastSeen.secondsSince1970, to: &output)
        output.append(UInt8(ascii: "\""))
        DemoFleetJSON.appendKey("details", to: &output)
        JSONSerializer.append(.object(details), to: &output)
        output.append(UInt8(ascii: "}"))
    }
}

extension DemoFleetResource.Status {
    /// The status a guest's power state implies: a stopped guest is offline, a paused one needs a look.
    init(_ power: DemoFleetResource.Power) {
        switch power {
        case .running: self = .online
        case .stopped: self = .offline
        case .paused: self = .warning
        case .unknown: self = .unknown
        }
    }
}
