import Fleet
import JSON
import Policy

extension PulseMapping {
    /// One `/api/alerts/active` element as our `alert` record, its `resourceId` still Pulse's
    /// (a legacy source id: the join to a canonical id is ``PulseFleetAssembler``'s).
    ///
    /// `level` is the severity (`critical`, `warning`; `info` is ours too), `startTime` the time
    /// it began. An alert with no message gets its `type` (`memory`, `host-offline`) as one.
    static func alert(_ value: JSONValue) -> PulseMappingOutcome<JSONObject> {
        guard case .object(let alert) = value.plain else {
            return .skip(FleetSkip(kind: .alert, id: nil, type: nil, reason: "malformed alert: it is \(value.typeName), not an object"))
        }
        let type = alert.text("type")
        func skip(_ why: String, id: String?) -> PulseMappingOutcome<JSONObject> {
            .skip(FleetSkip(kind: .alert, id: id, type: type, reason: why))
        }
        guard let id = alert.text("id") else { return skip("malformed alert: it has no id", id: nil) }
        guard let resourceId = alert.text("resourceId") else { return skip("malformed alert: it has no resourceId", id: id) }
        let level = alert.text("level")?.lowercased()
        guard let level, AlertSeverity(rawValue: level) != nil else {
            return skip("alert level \(alert["level"].map(show) ?? "(none)") is not one of critical, warning, info", id: id)
        }
        guard let since = time(alert["startTime"]) else {
            return skip("malformed alert: startTime is missing or not an RFC 3339 time", id: id)
        }
        var record = JSONObject()
        record["id"] = .string(id)
        record["resourceId"] = .string(resourceId)
        record["severity"] = .string(level)
        record["message"] = .string(alert.text("message") ?? type ?? "alert")
        record["since"] = .string(since.description)
        return .record(record)
    }

    /// One `/api/recovery/points` element as our `recoveryPoint` record.
    ///
    /// The subject is `subjectResourceId` (a canonical id), else `itemResourceId`; a point that
    /// names its subject only by an external reference (a TrueNAS dataset) has no resource of ours
    /// and is skipped. `at` is `completedAt`, else `startedAt`. Kinds other than `backup` and
    /// `snapshot` (Pulse's `other`) are skipped.
    mutating func recoveryPoint(_ value: JSONValue) -> PulseMappingOutcome<JSONObject> {
        guard case .object(let point) = value.plain else {
            return .skip(
                FleetSkip(kind: .recoveryPoint, id: nil, type: nil, reason: "malformed recovery point: it is \(value.typeName), not an object")
            )
        }
        let kind = point.text("kind")
        func skip(_ why: String, id: String?) -> PulseMappingOutcome<JSONObject> {
            .skip(FleetSkip(kind: .recoveryPoint, id: id, type: kind, reason: why))
        }
        guard let id = point.text("id") else { return skip("malformed recovery point: it has no id", id: nil) }
        guard let kind, RecoveryKind(rawValue: kind) != nil else {
            return skip("recovery kind \(point["kind"].map(Self.show) ?? "(none)") is not backup or snapshot", id: id)
        }
        guard let subject = point.text("subjectResourceId") ?? point.text("itemResourceId") else {
            return skip("the point names no resource of Pulse's (only an external reference)", id: id)
        }
        guard let name = point.text("platform") ?? point.text("provider"), let platform = platform(named: name) else {
            return skip("recovery platform \(point["platform"].map(Self.show) ?? "(none)") is not one of ours", id: id)
        }
        guard let at = Self.time(point["completedAt"]) ?? Self.time(point["startedAt"]) else {
            return skip("malformed recovery point: neither completedAt nor startedAt is an RFC 3339 time", id: id)
        }
        var record = JSONObject()
        record["id"] = .string(id)
        record["resourceId"] = .string(subject)
        record["platform"] = .string(platform.id.rawValue)
        record["kind"] = .string(kind)
        record["at"] = .string(at.description)
        record.setIfPresent("sizeBytes", point.integer("sizeBytes").flatMap { $0 >= 0 ? .integer($0) : nil })
        record.setIfPresent("verified", point["verified"]?.boolValue.map(JSONValue.bool))
        return .record(record)
    }
}
