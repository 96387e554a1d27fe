import JSON
import Policy

/// Agents, connections, alerts, recovery points and metric samples: each checked alone. Their
/// references to resources (`hostResourceId`, `rootResourceId`, `resourceId`) are checked by
/// ``SnapshotGraph`` once every resource is known, since JSON Lines may list them in any order.
extension SnapshotValidator {
    /// Checks an agent: `{"id", "hostResourceId", "endpoint", "commandsEnabled", "lastHeartbeat"?, "version"?}`.
    package func agent(_ object: JSONObject, checker: SnapshotChecker) -> IngestRow.Agent? {
        let errorsBefore = checker.log.count
        var id: String?, host: String?, endpoint: String?, enabled: Bool?, heartbeat: Int64?, version: String?
        for (key, value) in object {
            switch key {
            case "id": id = checker.text(value, key)
            case "hostResourceId": host = checker.text(value, key)
            case "endpoint": endpoint = checker.endpoint(value, key)
            case "commandsEnabled": enabled = checker.flag(value, key)
            case "lastHeartbeat" where value.isNull, "version" where value.isNull: continue
            case "lastHeartbeat": heartbeat = checker.timestamp(value, key)?.secondsSince1970
            case "version": version = checker.text(value, key)
            default: unknown(key, value, of: .agent, checker: checker)
            }
        }
        checker.requireFields(
            [("id", id == nil), ("hostResourceId", host == nil), ("endpoint", endpoint == nil),
             ("commandsEnabled", enabled == nil)],
            in: object
        )
        guard checker.log.count == errorsBefore, let id, let host, let endpoint, let enabled else { return nil }
        return IngestRow.Agent(
            id: id, hostResourceId: host, endpoint: endpoint, commandsEnabled: enabled,
            lastHeartbeat: heartbeat, version: version
        )
    }

    /// Checks a platform connection; its platform must be supported and API-backed, since a
    /// connection is the API path of such a platform.
    package mutating func connection(_ object: JSONObject, checker: SnapshotChecker) -> IngestRow.Connection? {
        let errorsBefore = checker.log.count
        var id: String?, platform: SnapshotPlatforms.Resolved?, root: String?, endpoint: String?, enabled: Bool?
        for (key, value) in object {
            switch key {
            case "id": id = checker.text(value, key)
            case "platform": platform = self.platform(value, key, checker: checker)
            case "rootResourceId": root = checker.text(value, key)
            case "endpoint": endpoint = checker.endpoint(value, key)
            case "controlEnabled": enabled = checker.flag(value, key)
            default: unknown(key, value, of: .connection, checker: checker)
            }
        }
        checker.requireFields(
            [("id", id == nil), ("platform", platform == nil), ("rootResourceId", root == nil),
             ("endpoint", endpoint == nil), ("controlEnabled", enabled == nil)],
            in: object
        )
        if let platform, platform.governance != .supported || !SnapshotPlatforms.isAPIBacked(platform.primaryMode) {
            let why = platform.governance != .supported
                ? "\(platform.id) is \(platform.governance.rawValue), not supported"
                : "\(platform.id) is \(platform.primaryMode?.rawValue ?? "not api-backed")"
            checker.fail(
                "platform", object["platform"],
                "a platform connection needs a supported api-backed platform "
                    + "(\(SnapshotVocabulary.list(platforms.connectionPlatforms.map(\.rawValue)))); \(why)",
                seedRule: Self.seedRule(forUnsupported: platform.governance)
            )
        }
        guard checker.log.count == errorsBefore, let id, let platform, let root, let endpoint, let enabled else {
            return nil
        }
        return IngestRow.Connection(
            id: id, platform: platform.id.rawValue, rootResourceId: root, endpoint: endpoint, controlEnabled: enabled
        )
    }

    /// The seed rule a connection to a platform outside the support matrix breaks.
    private static func seedRule(forUnsupported governance: GovernanceState) -> SeedRule? {
        switch governance {
        case .supported: nil
        case .admitted: .firstLabReadyIsNotSupport
        case .presentationOnly: .presentationOnlyIsNotSupport
        }
    }

    /// Checks an alert: `{"id", "resourceId", "severity", "message", "since"}`.
    package func alert(_ object: JSONObject, checker: SnapshotChecker) -> IngestRow.Alert? {
        let errorsBefore = checker.log.count
        var id: String?, resource: String?, severity: String?, message: String?, since: Int64?
        for (key, value) in object {
            switch key {
            case "id": id = checker.text(value, key)
            case "resourceId": resource = checker.text(value, key)
            case "severity": severity = checker.word(value, key, oneOf: SnapshotVocabulary.severities)
            case "message": message = checker.text(value, key)
            case "since": since = checker.timestamp(value, key)?.secondsSince1970
            default: unknown(key, value, of: .alert, checker: checker)
            }
        }
        checker.requireFields(
            [("id", id == nil), ("resourceId", resource == nil), ("severity", severity == nil),
             ("message", message == nil), ("since", since == nil)],
            in: object
        )
        guard checker.log.count == errorsBefore, let id, let resource, let severity, let message, let since else {
            return nil
        }
        return IngestRow.Alert(id: id, resourceId: resource, severity: severity, message: message, since: since)
    }

    /// Checks a recovery point; its platform is normalised to the canonical id (seed: recovery
    /// artifacts "reference canonical platform ids plus canonical resource ids").
    package mutating func recoveryPoint(_ object: JSONObject, checker: SnapshotChecker) -> IngestRow.RecoveryPoint? {
        let errorsBefore = checker.log.count
        var id: String?, resource: String?, platform: SnapshotPlatforms.Resolved?, kind: String?, at: Int64?
        var size: Int64?, verified: Bool?
        for (key, value) in object {
            switch key {
            case "id": id = checker.text(value, key)
            case "resourceId": resource = checker.text(value, key)
            case "platform": platform = self.platform(value, key, checker: checker)
            case "kind": kind = checker.word(value, key, oneOf: SnapshotVocabulary.recoveryKinds)
            case "at": at = checker.timestamp(value, key)?.secondsSince1970
            case "sizeBytes" where value.isNull, "verified" where value.isNull: continue
            case "sizeBytes": size = checker.count(value, key)
            case "verified": verified = checker.flag(value, key)
            default: unknown(key, value, of: .recoveryPoint, checker: checker)
            }
        }
        checker.requireFields(
            [("id", id == nil), ("resourceId", resource == nil), ("platform", platform == nil),
             ("kind", kind == nil), ("at", at == nil)],
            in: object
        )
        guard checker.log.count == errorsBefore, let id, let resource, let platform, let kind, let at else {
            return nil
        }
        return IngestRow.RecoveryPoint(
            id: id, resourceId: resource, platform: platform.id.rawValue, kind: kind, at: at,
            sizeBytes: size, verified: verified
        )
    }

    /// Checks a metric sample: a finite value, and a `cpu` sample in 0…1 like the `cpu` metric.
    package func metricSample(_ object: JSONObject, checker: SnapshotChecker) -> IngestRow.MetricSample? {
        let errorsBefore = checker.log.count
        var resource: String?, metric: String?, at: Int64?, value: Double?
        for (key, element) in object {
            switch key {
            case "resourceId": resource = checker.text(element, key)
            case "metric": metric = checker.text(element, key)
            case "at": at = checker.timestamp(element, key)?.secondsSince1970
            case "value": value = checker.number(element, key)
            default: unknown(key, element, of: .metricSample, checker: checker)
            }
        }
        checker.requireFields(
            [("resourceId", resource == nil), ("metric", metric == nil), ("at", at == nil), ("value", value == nil)],
            in: object
        )
        if metric == "cpu", let value, !(0...1).contains(value) {
            checker.fail("value", object["value"], "a cpu sample must be a number from 0 to 1")
        }
        guard checker.log.count == errorsBefore, let resource, let metric, let at, let value else { return nil }
        return IngestRow.MetricSample(resourceId: resource, metric: metric, at: at, value: value)
    }
}
