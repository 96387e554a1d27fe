import JSON

/// A resource's `metrics` object, checked: CPU share in 0…1, byte counts and uptime whole numbers
/// ≥ 0, and nothing used beyond its total.
///
/// ```json
/// "metrics": {"cpu": 0.23, "memoryUsed": 2147483648, "memoryTotal": 4294967296,
///             "diskUsed": 10737418240, "diskTotal": 34359738368, "uptimeSeconds": 86400}
/// ```
/// Every metric is optional (a stopped VM has no CPU share); `null` counts as absent.
struct SnapshotMetrics {
    var cpu: Double?
    var memoryUsed: Int64?
    var memoryTotal: Int64?
    var diskUsed: Int64?
    var diskTotal: Int64?
    var uptimeSeconds: Int64?

    init() {}

    init(_ value: JSONValue, checker: SnapshotChecker) {
        guard case .object(let object) = value else {
            checker.fail("metrics", value, "must be an object")
            return
        }
        for (key, element) in object {
            let field = "metrics.\(key)"
            switch key {
            case _ where element.isNull && SnapshotValidator.metricFields.contains(key): continue
            case "cpu": cpu = checker.fraction(element, field)
            case "memoryUsed": memoryUsed = checker.count(element, field)
            case "memoryTotal": memoryTotal = checker.count(element, field)
            case "diskUsed": diskUsed = checker.count(element, field)
            case "diskTotal": diskTotal = checker.count(element, field)
            case "uptimeSeconds": uptimeSeconds = checker.count(element, field)
            default: checker.unknown(field, allowed: SnapshotValidator.metricFields, in: "metrics")
            }
        }
        Self.checkUsed(memoryUsed, within: memoryTotal, "memory", object: object, checker: checker)
        Self.checkUsed(diskUsed, within: diskTotal, "disk", object: object, checker: checker)
    }

    /// memoryUsed / memoryTotal, for the `memoryUsage` column; nil without both or with a total of 0.
    var memoryUsage: Double? { Self.share(memoryUsed, of: memoryTotal) }

    /// diskUsed / diskTotal, for the `diskUsage` column.
    var diskUsage: Double? { Self.share(diskUsed, of: diskTotal) }

    private static func share(_ used: Int64?, of total: Int64?) -> Double? {
        guard let used, let total, total > 0 else { return nil }
        return Double(used) / Double(total)
    }

    private static func checkUsed(
        _ used: Int64?, within total: Int64?, _ name: String, object: JSONObject, checker: SnapshotChecker
    ) {
        guard let used, let total, used > total else { return }
        checker.fail(
            "metrics.\(name)Used", object["\(name)Used"],
            "must not exceed metrics.\(name)Total (\(total))"
        )
    }
}
